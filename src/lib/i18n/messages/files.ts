export const vi = {
	'files.title': 'Tệp đính kèm',
	'files.count': '{count} tệp',
	'files.empty': 'Chưa có tệp nào. Đính kèm báo giá, hợp đồng, bản vẽ hay ảnh cho giao dịch này.',
	'files.drop': 'Kéo thả tệp vào đây hoặc',
	'files.pick': 'chọn tệp',
	'files.dropNow': 'Thả để tải lên',
	'files.limits': 'PDF, ảnh, Word, Excel, PowerPoint, TXT, CSV · tối đa {max} mỗi tệp',
	'files.note': 'Ghi chú kèm tệp',
	'files.notePlaceholder': 'Không bắt buộc, ví dụ: báo giá lần 2 đã gửi khách',
	'files.uploading': 'Đang tải lên',
	'files.progress': 'Tiến độ tải lên {name}',
	'files.uploader': '{name} · {when}',
	'files.formerMember': 'Thành viên cũ',
	'files.preview': 'Xem trước',
	'files.previewOf': 'Xem trước {name}',
	'files.download': 'Tải xuống',
	'files.downloadOf': 'Tải xuống {name}',
	'files.delete': 'Xoá',
	'files.deleteOf': 'Xoá {name}',
	'files.deleteConfirm': 'Xoá tệp “{name}”? Mọi người sẽ không xem hay tải được tệp này nữa.',
	'files.readOnly': 'Bạn chỉ xem và tải được tệp của giao dịch này.',
	'files.loadError': 'Không tải được danh sách tệp.',
	'files.retry': 'Thử lại',
	'files.dismiss': 'Đóng thông báo',
	'files.error.tooLarge': 'Tệp “{name}” lớn hơn {max}, mức tối đa cho mỗi tệp.',
	'files.error.quota':
		'Không đủ dung lượng lưu trữ cho “{name}”: đơn vị đã dùng gần hết {quota} của gói. Hãy xoá bớt tệp cũ hoặc nâng cấp gói.',
	'files.error.empty': 'Tệp “{name}” không có nội dung.',
	'files.error.aborted': 'Tải lên “{name}” bị gián đoạn. Vui lòng thử lại.',
	'files.error.html':
		'Không nhận “{name}”: nội dung là một trang web (HTML, SVG hoặc XML), không phải tài liệu.',
	'files.error.executable':
		'Không nhận “{name}”: nội dung là một chương trình chạy được, không phải tài liệu.',
	'files.error.script': 'Không nhận “{name}”: nội dung là mã lệnh (script), không phải tài liệu.',
	'files.error.macro':
		'Không nhận “{name}”: tài liệu Office có macro. Hãy lưu lại thành .docx, .xlsx hoặc .pptx thường.',
	'files.error.unsupported':
		'Không nhận “{name}”: Chốt chỉ nhận PDF, ảnh PNG, JPEG, WebP, GIF, tài liệu Word, Excel, PowerPoint, TXT và CSV.',
	'files.error.mismatch':
		'Không nhận “{name}”: tên tệp có đuôi .{ext} nhưng nội dung là {type}. Hãy đặt đuôi .{expected}.',
	'files.error.mismatchNoExt':
		'Không nhận “{name}”: tên tệp cần có đuôi .{expected} (nội dung là {type}).',
	'files.error.name': 'Tên tệp không hợp lệ.',
	'files.error.nameTooLong': 'Tên tệp dài quá {max} ký tự. Hãy đặt tên ngắn hơn.',
	'files.error.noteTooLong': 'Ghi chú tối đa {max} ký tự.',
	'files.error.forbidden': 'Bạn không có quyền đính kèm tệp vào giao dịch này.',
	'files.error.deleteForbidden': 'Bạn không có quyền xoá tệp này.',
	'files.error.deleteFailed': 'Không xoá được “{name}”. Vui lòng thử lại.',
	'files.error.network': 'Mất kết nối khi tải lên “{name}”. Vui lòng thử lại.',
	'files.error.server': 'Không tải lên được “{name}”. Vui lòng thử lại.'
} as const;
