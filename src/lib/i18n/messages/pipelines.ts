// Pipelines (quy trình) list and pipeline settings; `pipelines.error.<code>` translates every
// BoardOpError code (src/lib/board/errors.ts), so any form calling a board op can use it.
export const vi = {
	'pipelines.title': 'Quy trình bán hàng',
	'pipelines.intro':
		'Mỗi quy trình là một bảng giao dịch với các giai đoạn riêng. Chọn một quy trình để mở bảng.',
	'pipelines.stageCount': '{count} giai đoạn',
	'pipelines.dealCount': '{count} giao dịch',
	'pipelines.stageChip': '{name}: {count} giao dịch',
	'pipelines.noStages': 'Chưa có giai đoạn nào.',
	'pipelines.openBoard': 'Mở bảng',
	'pipelines.settings': 'Cài đặt',
	'pipelines.settingsOf': 'Cài đặt quy trình {name}',
	'pipelines.actionsOf': 'Thao tác với quy trình {name}',
	'pipelines.rename': 'Đổi tên',
	'pipelines.renameSubmit': 'Lưu tên',
	'pipelines.renamed': 'Đã đổi tên quy trình thành “{name}”.',
	'pipelines.archive': 'Lưu trữ',
	'pipelines.archiveConfirm':
		'Lưu trữ “{name}”? Bảng sẽ ẩn khỏi danh sách, giao dịch được giữ nguyên và bạn có thể khôi phục bất cứ lúc nào.',
	'pipelines.archiveYes': 'Lưu trữ quy trình',
	'pipelines.archivedDone': 'Đã lưu trữ quy trình “{name}”.',
	'pipelines.archivedList': 'Đã lưu trữ ({count})',
	'pipelines.restore': 'Khôi phục',
	'pipelines.restoreLabel': 'Khôi phục quy trình {name}',
	'pipelines.restored': 'Đã khôi phục quy trình “{name}”.',
	'pipelines.readOnly': 'Chỉ chủ sở hữu và quản lý có thể tạo và chỉnh sửa quy trình.',
	'pipelines.lastOpen':
		'Cần giữ ít nhất một quy trình đang dùng, nên không thể lưu trữ quy trình này.',
	'pipelines.notFound': 'Không tìm thấy quy trình này. Có thể nó vừa bị xoá.',

	'pipelines.new.toggle': 'Quy trình mới',
	'pipelines.new.name': 'Tên quy trình',
	'pipelines.new.namePlaceholder': 'Ví dụ: Bán hàng dự án',
	'pipelines.new.start': 'Bắt đầu với',
	'pipelines.new.standard': '6 giai đoạn mẫu',
	'pipelines.new.standardHint':
		'Tiếp cận, Khảo sát nhu cầu, Báo giá, Đàm phán, Ký hợp đồng, Triển khai. Đổi tên hoặc xoá tuỳ ý.',
	'pipelines.new.single': 'Một giai đoạn',
	'pipelines.new.singleHint': 'Tự thêm các giai đoạn của bạn sau.',
	'pipelines.new.submit': 'Tạo quy trình',
	'pipelines.created': 'Đã tạo quy trình “{name}”. Điều chỉnh các giai đoạn bên dưới cho phù hợp.',

	'pipelines.page.title': 'Cài đặt quy trình',
	'pipelines.page.back': 'Tất cả quy trình',
	'pipelines.page.archived': 'Quy trình này đã được lưu trữ. Khôi phục nó ở danh sách quy trình.',
	'pipelines.page.readOnly': 'Chỉ chủ sở hữu và quản lý có thể thay đổi quy trình.',

	'pipelines.general.title': 'Cài đặt chung',
	'pipelines.general.saved': 'Đã lưu cài đặt quy trình.',

	'pipelines.stages.title': 'Giai đoạn',
	'pipelines.stages.description':
		'Kéo thả hoặc dùng nút mũi tên để sắp xếp. Trên bảng, giao dịch đi qua các giai đoạn từ trái sang phải.',
	'pipelines.stages.list': 'Các giai đoạn của quy trình',
	'pipelines.stages.drag': 'Kéo để sắp xếp giai đoạn {name}',
	'pipelines.stages.up': 'Chuyển {name} lên',
	'pipelines.stages.down': 'Chuyển {name} xuống',
	'pipelines.stages.edit': 'Sửa',
	'pipelines.stages.editLabel': 'Sửa giai đoạn {name}',
	'pipelines.stages.delete': 'Xoá',
	'pipelines.stages.deleteLabel': 'Xoá giai đoạn {name}',
	'pipelines.stages.probability': 'Khả năng chốt {percent}%',
	'pipelines.stages.rot': 'Cảnh báo sau {days} ngày',
	'pipelines.stages.noRot': 'Không cảnh báo',
	'pipelines.stages.deals': '{count} giao dịch',

	'pipelines.stage.name': 'Tên giai đoạn',
	'pipelines.stage.namePlaceholder': 'Ví dụ: Gửi mẫu thử',
	'pipelines.stage.color': 'Màu',
	'pipelines.stage.customColor': 'Màu khác',
	'pipelines.stage.probability': 'Khả năng chốt (%)',
	'pipelines.stage.probabilityHint': 'Dùng để tính doanh thu dự kiến của giai đoạn.',
	'pipelines.stage.rotDays': 'Cảnh báo sau (ngày)',
	'pipelines.stage.rotDaysHint': 'Giao dịch nằm lâu hơn sẽ được đánh dấu. 0 = không cảnh báo.',
	'pipelines.stage.add': 'Thêm giai đoạn',
	'pipelines.stage.addSubmit': 'Lưu giai đoạn mới',
	'pipelines.stage.save': 'Lưu giai đoạn',
	'pipelines.stage.added': 'Đã thêm giai đoạn “{name}”.',
	'pipelines.stage.saved': 'Đã lưu giai đoạn “{name}”.',
	'pipelines.stage.moved': 'Đã chuyển “{name}” đến vị trí {position}.',
	'pipelines.stage.deleted': 'Đã xoá giai đoạn “{name}”.',
	'pipelines.stage.deletedMoved':
		'Đã xoá giai đoạn “{name}” và chuyển {count} giao dịch sang “{target}”.',

	'pipelines.delete.title': 'Xoá giai đoạn “{name}”?',
	'pipelines.delete.empty': 'Giai đoạn này không có giao dịch nào.',
	'pipelines.delete.holds':
		'Giai đoạn này đang có {count} giao dịch. Chọn giai đoạn sẽ nhận chúng.',
	'pipelines.delete.target': 'Chuyển giao dịch sang',
	'pipelines.delete.choose': 'Chọn giai đoạn…',
	'pipelines.delete.confirm': 'Xoá giai đoạn',
	'pipelines.delete.confirmMove': 'Xoá và chuyển giao dịch',
	'pipelines.delete.last': 'Đây là giai đoạn duy nhất của quy trình, không thể xoá.',

	'pipelines.access.title': 'Quyền của nhân viên kinh doanh',
	'pipelines.access.description':
		'Chủ sở hữu và quản lý luôn xem và sửa mọi giao dịch; kế toán chỉ xem.',
	'pipelines.visibility.label': 'Xem giao dịch',
	'pipelines.visibility.all': 'Xem giao dịch của mọi người',
	'pipelines.visibility.allHint':
		'Nhân viên kinh doanh thấy mọi giao dịch trên bảng, kể cả giao dịch của đồng nghiệp.',
	'pipelines.visibility.own': 'Chỉ xem giao dịch của mình',
	'pipelines.visibility.ownHint':
		'Nhân viên kinh doanh chỉ thấy những giao dịch do chính mình phụ trách.',
	'pipelines.editing.label': 'Sửa giao dịch',
	'pipelines.editing.own': 'Chỉ sửa giao dịch của mình',
	'pipelines.editing.ownHint':
		'Nhân viên kinh doanh chỉ sửa và kéo thả được giao dịch do mình phụ trách; của người khác thì chỉ xem.',
	'pipelines.editing.all': 'Sửa mọi giao dịch',
	'pipelines.editing.allHint':
		'Nhân viên kinh doanh sửa và kéo thả được mọi giao dịch mà họ nhìn thấy.',

	'pipelines.dnd.instructions':
		'Nhấn phím cách hoặc Enter để nhấc giai đoạn, dùng phím mũi tên để di chuyển, nhấn phím cách hoặc Enter để thả, Esc để huỷ.',
	'pipelines.dnd.picked': 'Đã nhấc giai đoạn {name}.',
	'pipelines.dnd.over': 'Giai đoạn {name} đang ở vị trí {position}.',
	'pipelines.dnd.dropped': 'Đã thả giai đoạn {name} ở vị trí {position}.',
	'pipelines.dnd.canceled': 'Đã huỷ, giai đoạn {name} trở về chỗ cũ.',

	'pipelines.color.slate': 'Xám',
	'pipelines.color.sky': 'Xanh da trời',
	'pipelines.color.indigo': 'Chàm',
	'pipelines.color.violet': 'Tím',
	'pipelines.color.amber': 'Cam',
	'pipelines.color.rose': 'Hồng',
	'pipelines.color.emerald': 'Xanh lá',
	'pipelines.color.teal': 'Xanh mòng két',

	'pipelines.error.invalid_id': 'Mã không hợp lệ.',
	'pipelines.error.required': 'Vui lòng nhập trường này.',
	'pipelines.error.too_long': 'Tối đa {max} ký tự.',
	'pipelines.error.invalid_amount': 'Số tiền không hợp lệ.',
	'pipelines.error.invalid_phone': 'Số điện thoại không hợp lệ.',
	'pipelines.error.invalid_color': 'Màu cần có dạng #rrggbb, ví dụ #0f766e.',
	'pipelines.error.invalid_probability': 'Nhập một số nguyên từ 0 đến 100.',
	'pipelines.error.invalid_rot_days': 'Nhập số ngày từ 0 đến 3650 (0 = không cảnh báo).',
	'pipelines.error.invalid_date': 'Ngày không hợp lệ.',
	'pipelines.error.invalid_time': 'Thời điểm không hợp lệ.',
	'pipelines.error.invalid_status': 'Trạng thái không hợp lệ.',
	'pipelines.error.invalid_setting': 'Vui lòng chọn một trong các lựa chọn.',
	'pipelines.error.reason_required': 'Vui lòng nhập lý do.',
	'pipelines.error.date_required': 'Vui lòng chọn ngày.',
	'pipelines.error.amount_required': 'Vui lòng nhập giá trị mới.',
	'pipelines.error.stage_not_found':
		'Giai đoạn này không còn nữa, có thể ai đó vừa xoá nó. Danh sách đã được cập nhật.',
	'pipelines.error.stage_exists': 'Giai đoạn này đã tồn tại.',
	'pipelines.error.last_stage':
		'Quy trình cần ít nhất một giai đoạn, không thể xoá giai đoạn cuối cùng.',
	'pipelines.error.stage_not_empty':
		'Giai đoạn này còn giao dịch. Hãy chọn giai đoạn sẽ nhận các giao dịch đó.',
	'pipelines.error.invalid_target': 'Hãy chọn một giai đoạn khác để nhận giao dịch.',
	'pipelines.error.deal_not_found': 'Không tìm thấy giao dịch.',
	'pipelines.error.deal_exists': 'Giao dịch đã tồn tại.',
	'pipelines.error.neighbour_not_found': 'Vị trí đã thay đổi, vui lòng thử lại.',
	'pipelines.error.invalid_position': 'Vị trí không hợp lệ, vui lòng thử lại.',
	'pipelines.error.forbidden': 'Bạn không có quyền thay đổi mục này.'
} as const;
