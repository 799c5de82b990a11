export {
  resolveConversation,
  linkConversation,
  unlinkConversation,
  observeIdentity,
  identityRow,
  observedKey,
  type Resolution,
  type ResolveOptions,
  type MatchedBy,
  type ConvRef,
} from './resolve';
export { identitySpace, identitySites } from './space';
