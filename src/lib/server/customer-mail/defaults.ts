import type { Locale } from '$lib/i18n';

// The templates an organisation starts with (created the first time its templates are read),
// in its language. Managers change, archive or add to them in Settings › Mẫu email.
export const defaultTemplates: Record<Locale, { name: string; subject: string; body: string }[]> = {
	vi: [
		{
			name: 'Gửi báo giá',
			subject: 'Báo giá {{ten_co_hoi}}',
			body: [
				'Kính gửi {{ten_khach_hang}},',
				'',
				'Cảm ơn anh/chị đã quan tâm đến {{ten_co_hoi}}. Chúng tôi xin gửi kèm báo giá chi tiết, tổng giá trị {{gia_tri}}.',
				'',
				'Nếu anh/chị cần điều chỉnh hạng mục nào, xin cứ trả lời email này, chúng tôi sẽ cập nhật ngay.',
				'',
				'Trân trọng,',
				'{{chu_ky}}'
			].join('\n')
		},
		{
			name: 'Nhắc thanh toán',
			subject: 'Nhắc thanh toán: {{ten_co_hoi}}',
			body: [
				'Kính gửi {{ten_khach_hang}},',
				'',
				'Chúng tôi xin nhắc khoản thanh toán cho {{ten_co_hoi}}, giá trị {{gia_tri}}. Nếu anh/chị đã chuyển khoản, xin bỏ qua email này và nhận lời cảm ơn của chúng tôi.',
				'',
				'Mọi thắc mắc, anh/chị vui lòng trả lời email này.',
				'',
				'Trân trọng,',
				'{{chu_ky}}'
			].join('\n')
		},
		{
			name: 'Cảm ơn khách hàng',
			subject: 'Cảm ơn anh/chị đã tin chọn chúng tôi',
			body: [
				'Kính gửi {{ten_khach_hang}},',
				'',
				'Cảm ơn anh/chị đã tin tưởng lựa chọn chúng tôi cho {{ten_co_hoi}}. Chúng tôi sẽ đồng hành cùng anh/chị trong suốt quá trình triển khai và sau bán hàng.',
				'',
				'Khi cần hỗ trợ, anh/chị cứ trả lời email này.',
				'',
				'Trân trọng,',
				'{{chu_ky}}'
			].join('\n')
		}
	],
	en: [
		{
			name: 'Send a quote',
			subject: 'Quote: {{ten_co_hoi}}',
			body: [
				'Dear {{ten_khach_hang}},',
				'',
				'Thank you for your interest in {{ten_co_hoi}}. Please find our detailed quote attached, for a total of {{gia_tri}}.',
				'',
				'If anything should be adjusted, just reply to this email and we will update it.',
				'',
				'Kind regards,',
				'{{chu_ky}}'
			].join('\n')
		},
		{
			name: 'Payment reminder',
			subject: 'Payment reminder: {{ten_co_hoi}}',
			body: [
				'Dear {{ten_khach_hang}},',
				'',
				'This is a reminder of the payment for {{ten_co_hoi}}, {{gia_tri}}. If you have already paid, please disregard this email, and thank you.',
				'',
				'For any question, just reply to this email.',
				'',
				'Kind regards,',
				'{{chu_ky}}'
			].join('\n')
		},
		{
			name: 'Thank you',
			subject: 'Thank you for choosing us',
			body: [
				'Dear {{ten_khach_hang}},',
				'',
				'Thank you for choosing us for {{ten_co_hoi}}. We will be with you throughout the delivery and after.',
				'',
				'Whenever you need help, just reply to this email.',
				'',
				'Kind regards,',
				'{{chu_ky}}'
			].join('\n')
		}
	]
};
