// Who may read and change a deal's tasks: the deal document's own rule (deal SPEC D1, D6), asked
// by the drawer (which assignees to offer) and by the server (the Công việc page's actions).

type Role = 'owner' | 'manager' | 'sales' | 'accountant';
type Visibility = 'all' | 'own';

export function mayReadDeal({
	role,
	userId,
	ownerId,
	visibility
}: {
	role: Role;
	userId: string;
	ownerId: string;
	visibility: Visibility;
}) {
	return role !== 'sales' || ownerId === userId || visibility === 'all';
}

export function mayWriteDeal({
	role,
	userId,
	ownerId,
	visibility,
	editing
}: {
	role: Role;
	userId: string;
	ownerId: string;
	visibility: Visibility;
	editing: Visibility;
}) {
	if (role === 'owner' || role === 'manager') return true;
	if (role !== 'sales') return false;
	return ownerId === userId || (visibility === 'all' && editing === 'all');
}

/** Members a deal's task may be given to: those who work deals and may read this one. */
export function assignable<M extends { id: string; role: string }>(
	members: readonly M[],
	deal: { ownerId: string; visibility: Visibility }
): M[] {
	return members.filter(
		(m) => m.role !== 'accountant' && mayReadDeal({ role: m.role as Role, userId: m.id, ...deal })
	);
}

/**
 * What a member may do with a task on the Công việc page: a deal task as the deal's document
 * allows (and its assignee may always tick it); a task of its own, its creator, its assignee,
 * owners and managers. Accountants only read.
 */
export function taskRights(
	task: {
		source: 'deal' | 'own';
		assigneeId: string | null;
		createdBy: string | null;
		dealOwnerId: string | null;
		visibility: Visibility;
		editing: Visibility;
	},
	viewer: { userId: string; role: Role }
): { edit: boolean; tick: boolean } {
	if (viewer.role === 'accountant') return { edit: false, tick: false };
	if (task.source === 'deal') {
		const edit =
			task.dealOwnerId !== null &&
			mayWriteDeal({
				role: viewer.role,
				userId: viewer.userId,
				ownerId: task.dealOwnerId,
				visibility: task.visibility,
				editing: task.editing
			});
		return { edit, tick: edit || task.assigneeId === viewer.userId };
	}
	const edit =
		viewer.role === 'owner' ||
		viewer.role === 'manager' ||
		task.createdBy === viewer.userId ||
		task.assigneeId === viewer.userId;
	return { edit, tick: edit };
}
