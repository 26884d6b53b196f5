import type { VariableValues } from './variables';

// What the deal email endpoint (`/o/<org>/deals/<deal>/emails`) and the compose panel exchange.

export type EmailState = 'queued' | 'sent' | 'failed' | 'outbox';

export type DealEmail = {
	id: string;
	to: string;
	subject: string;
	status: EmailState;
	/** Why the last attempt failed (also while still retrying). */
	error: string | null;
	attempts: number;
	createdAt: string;
	sentAt: string | null;
	sender: { id: string; name: string } | null;
	attachments: { fileId: string; filename: string }[];
};

export type ComposeTemplate = { id: string; name: string; subject: string; body: string };
export type ComposeFile = { id: string; name: string; size: number };

export type Compose = {
	/** The deal's customer's address, or '' when the customer has none. */
	to: string;
	variables: VariableValues;
	templates: ComposeTemplate[];
	files: ComposeFile[];
	/** The sender's own address: the customer's reply goes there. */
	replyTo: string;
};

export type DealEmailsResponse = {
	emails: DealEmail[];
	canSend: boolean;
	/** Only for members who may send. */
	compose: Compose | null;
};

export type SendEmailInput = {
	/** Made by the browser when the panel opens (UUIDv7): a repeat returns the same email. */
	idempotencyKey: string;
	to: string;
	subject: string;
	body: string;
	fileIds: string[];
};

export type SendEmailAnswer = { email: DealEmail };

/** Every refusal, in the user's language. */
export type CustomerMailError = { code: string; message: string; field?: string };

export const customerMailUrls = {
	emails: (orgId: string, dealId: string) => `/o/${orgId}/deals/${dealId}/emails`
};
