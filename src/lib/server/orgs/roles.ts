import { roles, type Role } from '../db/schema';

// Who may hand out which role. Owners do everything; managers work among the staff roles and
// can neither grant `owner` nor touch an owner; sales and accountants only look.
const STAFF: readonly Role[] = ['manager', 'sales', 'accountant'];

/** The roles `actor` may grant, by invitation or by a role change. */
export function assignableRoles(actor: Role): readonly Role[] {
	if (actor === 'owner') return roles;
	if (actor === 'manager') return STAFF;
	return [];
}

/** Whether `actor` may change, remove or re-invite someone who holds `target`. */
export function mayManage(actor: Role, target: Role): boolean {
	if (actor === 'owner') return true;
	if (actor === 'manager') return target !== 'owner';
	return false;
}

// Lists show owners first, then managers, sales, accountants.
export function roleRank(role: Role): number {
	return roles.indexOf(role);
}

export function isRole(value: unknown): value is Role {
	return typeof value === 'string' && (roles as readonly string[]).includes(value);
}
