import { expect, test } from '@playwright/test';
import { logIn, open, signUp, uniqueEmail } from '../support/app';

test('a new owner builds a team: sign up, organisation, invitation, acceptance, role change, removal', async ({
	browser
}) => {
	const owner = {
		name: 'Đỗ Thị Hương',
		email: uniqueEmail('huong'),
		password: 'mat-khau-chu-2026'
	};
	const colleague = {
		name: 'Ngô Văn Khải',
		email: uniqueEmail('khai'),
		password: 'mat-khau-khai-2026'
	};
	const a = await (await browser.newContext()).newPage();
	const b = await (await browser.newContext()).newPage();

	// The owner signs up and creates the organisation.
	await signUp(a, owner);
	await expect(a).toHaveURL(/\/orgs\/new$/);
	await expect(a.locator('html[data-hydrated="true"]')).toBeAttached();
	await a.getByLabel('Tên đơn vị').fill('Công ty TNHH Hương Sen');
	await a.getByRole('button', { name: 'Tạo đơn vị' }).click();
	await expect(a).toHaveURL(/\/o\/[0-9a-f-]{36}\/boards$/);
	const orgUrl = a.url().replace(/\/boards$/, '');
	await expect(a.getByText('Bạn đang dùng thử Gói 3')).toBeVisible();

	// … invites a colleague as a sales rep.
	await open(a, `${orgUrl}/settings/members`);
	await a.getByLabel('Email').fill(colleague.email);
	await a.getByLabel('Vai trò').selectOption('sales');
	await a.getByRole('button', { name: 'Gửi lời mời' }).click();
	await expect(a.getByText(`Đã gửi lời mời đến ${colleague.email}.`)).toBeVisible();

	// No Resend key: the invitation waits in the outbox, which the owner can read.
	await open(a, `${orgUrl}/outbox`);
	const row = a.getByRole('group').filter({ hasText: colleague.email });
	// The send-mail job moves it from "Đang chờ" to the outbox within moments; the page shows the
	// state at load time, so look again until it has.
	await expect(async () => {
		await open(a, `${orgUrl}/outbox`);
		await expect(row.getByText('Hộp thư đi')).toBeVisible({ timeout: 1000 });
	}).toPass({ timeout: 15_000 });
	await row.locator('summary').click();
	const inviteUrl = await row.getByRole('link', { name: /\/invite\// }).getAttribute('href');
	expect(inviteUrl).toMatch(/\/invite\/[a-z0-9]+\.[a-z0-9]+$/);

	// The colleague opens the link, creates an account from it and accepts.
	await open(b, inviteUrl!);
	await expect(
		b.getByRole('heading', { name: 'Bạn được mời tham gia Công ty TNHH Hương Sen' })
	).toBeVisible();
	await b.getByRole('link', { name: 'Tạo tài khoản' }).click();
	await expect(b).toHaveURL(/\/signup\?next=/);
	await expect(b.locator('html[data-hydrated="true"]')).toBeAttached();
	await b.getByLabel('Họ và tên').fill(colleague.name);
	await b.getByLabel('Email').fill(colleague.email);
	await b.getByLabel('Mật khẩu', { exact: true }).fill(colleague.password);
	await b.getByRole('button', { name: 'Tạo tài khoản' }).click();
	await expect(b).toHaveURL(/\/invite\//);
	await expect(b.locator('html[data-hydrated="true"]')).toBeAttached();
	await b.getByRole('button', { name: 'Nhận lời mời' }).click();
	await expect(b).toHaveURL(`${orgUrl}/boards`);
	await expect(b.getByText('Công ty TNHH Hương Sen').first()).toBeVisible();

	// As a sales rep the colleague cannot invite anyone.
	await open(b, `${orgUrl}/settings/members`);
	await expect(b.getByRole('button', { name: 'Gửi lời mời' })).toHaveCount(0);

	// The owner promotes the colleague to manager …
	await open(a, `${orgUrl}/settings/members`);
	await a.getByLabel(`Vai trò của ${colleague.name}`).selectOption('manager');
	await a.getByRole('button', { name: 'Lưu vai trò' }).click();
	await expect(a.getByText(`Đã đổi vai trò của ${colleague.name} thành Quản lý.`)).toBeVisible();
	await open(b, `${orgUrl}/settings/members`);
	await expect(b.getByRole('button', { name: 'Gửi lời mời' })).toBeVisible();

	// … then removes them: their very next request is refused as if the organisation did not exist.
	await open(a, `${orgUrl}/settings/members`);
	await a.getByRole('button', { name: `Xoá ${colleague.name} khỏi đơn vị` }).click();
	await a.getByRole('button', { name: 'Xoá khỏi đơn vị' }).click();
	await expect(a.getByText(`Đã xoá ${colleague.name} khỏi đơn vị.`)).toBeVisible();
	const after = await b.goto(`${orgUrl}/boards`);
	expect(after?.status()).toBe(404);
	await expect(b.getByText('Không tìm thấy trang này.')).toBeVisible();

	// The colleague still has an account and can log in; they land on creating an organisation.
	await b.context().clearCookies();
	await logIn(b, colleague);
	await expect(b).toHaveURL(/\/orgs\/new$/);
});

test('the printed demo login works', async ({ page }) => {
	await logIn(page, { email: 'lan@demo.chot.vn', password: 'chot-demo-2026' });
	await expect(page).toHaveURL(/\/o\/[0-9a-f-]{36}\/boards$/);
	await expect(page.getByText('Công ty TNHH Thương mại Sao Việt').first()).toBeVisible();
});
