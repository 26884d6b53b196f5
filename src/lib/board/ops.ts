// The only code that changes a board document (SPEC B5): components, the server and jobs call
// these, never Y.Map#set directly. Each op validates its input, throws a BoardOpError before
// writing anything, and otherwise writes in one transaction tagged with its origin.
export {
	initPipeline,
	addStage,
	renameStage,
	moveStage,
	setStageFields,
	deleteStage,
	setPipelineSettings,
	type NewStage
} from './pipeline-ops';
export {
	createDeal,
	moveDeal,
	updateDealFields,
	setStar,
	setStatus,
	followCustomer,
	setLedger,
	setLastContact,
	removeDeal,
	moveDealsFromDeletedStages,
	type DealScope,
	type NewDeal,
	type DealFieldsPatch
} from './deal-ops';
export { receiveDeal, handOver, forwardEdits, readOldCopy } from './handover-ops';
export { BoardOpError, isBoardOpError, type BoardErrorCode } from './errors';
