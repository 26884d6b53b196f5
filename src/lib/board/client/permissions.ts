import type { Deal, PipelineSettings } from '../doc';

// What the viewer may do with a card, as the collab server decides per shard (auth extension):
// the UI asks the same question so it never offers what the server would refuse.

export function canEditDeal({
	role,
	meId,
	deal,
	settings
}: {
	role: string;
	meId: string;
	deal: Pick<Deal, 'ownerId'>;
	settings: Pick<PipelineSettings, 'editing'>;
}) {
	if (role === 'owner' || role === 'manager') return true;
	if (role !== 'sales') return false;
	return deal.ownerId === meId || settings.editing === 'all';
}

/** Owners and managers give any deal to anyone; a rep hands over only their own. */
export function canReassignDeal({
	role,
	meId,
	deal
}: {
	role: string;
	meId: string;
	deal: Pick<Deal, 'ownerId'>;
}) {
	return role === 'owner' || role === 'manager' || (role === 'sales' && deal.ownerId === meId);
}
