export const vi = {
	'boards.preview.intro':
		'Quy trình bán hàng của đơn vị. Bảng kéo thả giao dịch theo thời gian thực sẽ mở từ đây.',
	'boards.preview.stages': '{count} giai đoạn',
	'boards.preview.probability': 'Khả năng chốt {percent}%'
} as const;

export const en: Record<keyof typeof vi, string> = {
	'boards.preview.intro':
		"Your organisation's sales pipelines. The live drag-and-drop boards will open from here.",
	'boards.preview.stages': '{count} stages',
	'boards.preview.probability': '{percent}% win probability'
};
