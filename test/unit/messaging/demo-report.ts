// What the demo chat's content script reports for 张伟 (conversation.observed's payload), shared
// by the tests that route a report through the router or the real handlers.
export const demoConversation = {
  site: 'demo',
  threadKey: 'u_8613800138000',
  isGroup: false,
  contact: { displayName: '张伟', handles: { phones: ['13800138000'], emails: [] } },
  messages: [{ id: 'u_1:m1', direction: 'in', text: '你好' }],
};
