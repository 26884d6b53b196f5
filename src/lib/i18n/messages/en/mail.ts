import type { vi } from '../mail';

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
