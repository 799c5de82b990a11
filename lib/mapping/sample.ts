// The sample record the mapping editor previews on: fixed and invented, so a preview never
// shows (or sends to the page) a real customer's data.
import type { MappingContext } from './variables';

const AT = Date.UTC(2026, 2, 5, 7, 30);
export const SAMPLE_CONTEXT: MappingContext = {
  customer: {
    id: 'sample',
    code: 'KH2026-0001',
    name: '张三',
    company: '示例贸易有限公司',
    phones: ['+8613800138000'],
    email: 'zhangsan@example.com',
    source: '抖音',
    product: '经营贷',
    amount: 500000,
    intentLevel: '高',
    stage: '跟进中',
    tags: ['老客户'],
    nextFollowUpAt: AT + 86_400_000,
    createdAt: AT,
    updatedAt: AT,
    searchKeys: [],
  },
  followUp: { id: 'sample-f', customerId: 'sample', method: '电话', content: '客户询问经营贷利率，希望本周内办理。', result: '有意向', at: AT, origin: 'manual', messageIds: [] },
  deal: { id: 'sample-d', customerId: 'sample', product: '经营贷', institution: '示例银行', amount: 500000, rate: 3.65, termMonths: 36, status: '进行中', createdAt: AT },
  conversation: { site: 'whatsapp', contactName: '张三', lastMessage: '你好，我想了解一下经营贷的利率和办理流程。', receivedAt: AT, category: '销售线索', priority: 'high' },
};
