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
	'mail.invite.footer': 'Lời mời có hiệu lực trong 7 ngày.'
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
	'mail.invite.footer': 'The invitation is valid for 7 days.'
};
