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

export const en: Record<keyof typeof vi, string> = {
	'mail.greeting': 'Hello {name},',
	'mail.verify.subject': 'Confirm your email for Chốt',
	'mail.verify.body': 'Press the button below to confirm the email address of your Chốt account.',
	'mail.verify.action': 'Confirm email',
	'mail.verify.footer': 'If you did not sign up for Chốt, ignore this email.',
	'mail.reset.subject': 'Reset your Chốt password',
	'mail.reset.body':
		'Someone (hopefully you) asked to reset your password. The link works for 1 hour, once.',
	'mail.reset.action': 'Choose a new password',
	'mail.reset.footer':
		'If you did not ask for this, ignore this email; your password stays as it is.',
	'mail.invite.subject': '{inviterName} invites you to {orgName} on Chốt',
	'mail.invite.body': '{inviterName} invites you to join {orgName} on Chốt as {role}.',
	'mail.invite.action': 'Accept the invitation',
	'mail.invite.footer': 'The invitation is valid for 7 days.',
	'mail.assigned.subject': 'You now own the deal “{dealTitle}”',
	'mail.assigned.body':
		'{byName} just gave you the deal “{dealTitle}” ({amount}) in the {pipelineName} pipeline.',
	'mail.assigned.action': 'Open the deal',
	'mail.assigned.footer': 'You receive this because you are the deal’s new owner.',
	'mail.outbox.title': 'Outbox',
	'mail.outbox.intro':
		"No email service is configured on this server, so the organisation's mail (such as invitations) and your own account mail are kept here. Open a message to read it and follow its links.",
	'mail.outbox.empty.title': 'No email yet',
	'mail.outbox.empty.body':
		'Invitations to this organisation and your own account mail will appear here as soon as they are created.',
	'mail.outbox.list': 'Messages',
	'mail.outbox.status.queued': 'Queued',
	'mail.outbox.status.sent': 'Sent',
	'mail.outbox.status.failed': 'Failed',
	'mail.outbox.status.outbox': 'Outbox',
	'mail.outbox.account': 'Account email',
	'mail.outbox.accountHint': 'Sent to a member, not tied to one organisation',
	'mail.outbox.to': 'To',
	'mail.outbox.createdAt': 'Created',
	'mail.outbox.sentAt': 'Sent',
	'mail.outbox.attempts': 'Attempts',
	'mail.outbox.error': 'Reason',
	'mail.outbox.body': 'Message',
	'mail.outbox.older': 'Older messages',
	'mail.outbox.newest': 'Back to the newest'
};
