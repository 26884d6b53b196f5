export const vi = {
	'mail.greeting': 'Xin chào {name},',
	'mail.verify.subject': 'Xác nhận email của bạn trên Chốt',
	'mail.verify.body': 'Bấm nút bên dưới để xác nhận địa chỉ email của tài khoản Chốt.',
	'mail.verify.action': 'Xác nhận email',
	'mail.verify.footer': 'Nếu bạn không đăng ký Chốt, hãy bỏ qua email này.',
	'mail.reset.subject': 'Đặt lại mật khẩu Chốt',
	'mail.reset.body':
		'Có người (hy vọng là bạn) đã yêu cầu đặt lại mật khẩu. Liên kết có hiệu lực trong 1 giờ và chỉ dùng được một lần.',
	'mail.reset.action': 'Đặt mật khẩu mới',
	'mail.reset.footer': 'Nếu bạn không yêu cầu, hãy bỏ qua email này; mật khẩu vẫn giữ nguyên.',
	'mail.invite.subject': '{inviterName} mời bạn tham gia {orgName} trên Chốt',
	'mail.invite.body':
		'{inviterName} mời bạn tham gia đơn vị {orgName} trên Chốt với vai trò {role}.',
	'mail.invite.action': 'Nhận lời mời',
	'mail.invite.footer': 'Lời mời có hiệu lực trong 7 ngày.',
	'mail.assigned.subject': 'Bạn phụ trách giao dịch “{dealTitle}”',
	'mail.assigned.body':
		'{byName} vừa giao cho bạn giao dịch “{dealTitle}” ({amount}) trong quy trình {pipelineName}.',
	'mail.assigned.action': 'Mở giao dịch',
	'mail.assigned.footer': 'Bạn nhận email này vì là người phụ trách mới của giao dịch.',
	'mail.outbox.title': 'Hộp thư đi',
	'mail.outbox.intro':
		'Máy chủ chưa được cấu hình dịch vụ gửi email, nên email của đơn vị (như lời mời) và email tài khoản của chính bạn được giữ lại ở đây. Mở một email để đọc nội dung và bấm vào liên kết trong đó.',
	'mail.outbox.empty.title': 'Chưa có email nào',
	'mail.outbox.empty.body':
		'Lời mời tham gia đơn vị và email tài khoản của bạn sẽ hiện ở đây ngay khi được tạo.',
	'mail.outbox.list': 'Danh sách email',
	'mail.outbox.status.queued': 'Đang chờ',
	'mail.outbox.status.sent': 'Đã gửi',
	'mail.outbox.status.failed': 'Lỗi',
	'mail.outbox.status.outbox': 'Hộp thư đi',
	'mail.outbox.account': 'Email tài khoản',
	'mail.outbox.accountHint': 'Gửi cho thành viên, không thuộc riêng đơn vị nào',
	'mail.outbox.to': 'Người nhận',
	'mail.outbox.createdAt': 'Tạo lúc',
	'mail.outbox.sentAt': 'Gửi lúc',
	'mail.outbox.attempts': 'Số lần thử',
	'mail.outbox.error': 'Lý do lỗi',
	'mail.outbox.body': 'Nội dung',
	'mail.outbox.older': 'Xem email cũ hơn',
	'mail.outbox.newest': 'Về email mới nhất'
} as const;
