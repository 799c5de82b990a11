export {
  resolveConversation,
  linkConversation,
  unlinkConversation,
  observeIdentity,
  type Resolution,
  type ResolveOptions,
  type MatchedBy,
  type ConvRef,
} from './resolve';
