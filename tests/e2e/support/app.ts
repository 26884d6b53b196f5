import { expect, type Page } from '@playwright/test';

// Shared steps for end-to-end specs. They find elements by role and label, as a user would.

/** Navigates and waits for hydration: clicks before it are lost. */
export async function open(page: Page, url: string) {
	await page.goto(url);
	await expect(page.locator('html[data-hydrated="true"]')).toBeAttached();
}

export async function signUp(page: Page, { name, email, password }: Account, url = '/signup') {
	await open(page, url);
	await page.getByLabel('Họ và tên').fill(name);
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Mật khẩu', { exact: true }).fill(password);
	await page.getByRole('button', { name: 'Tạo tài khoản' }).click();
}

export async function logIn(page: Page, { email, password }: Pick<Account, 'email' | 'password'>) {
	await open(page, '/login');
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Mật khẩu', { exact: true }).fill(password);
	await page.getByRole('button', { name: 'Đăng nhập' }).click();
}

export type Account = { name: string; email: string; password: string };

export function uniqueEmail(prefix: string) {
	return `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.vn`;
}
