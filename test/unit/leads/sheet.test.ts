// Leads from spreadsheet rows (a file, or cells pasted from Excel / WPS / a Feishu sheet): the
// columns found by their headers, or — rows pasted without a header — phones by their shape.
import { describe, expect, it } from 'vitest';
import { sheetCandidates } from '../../../lib/leads/sheet';
import { buildReview } from '../../../lib/leads/review';
import { useDb } from '../customers/helpers';

const t = useDb();

describe('sheetCandidates', () => {
  it('reads 姓名 / 手机号 / 微信号 / 公司 / 备注 columns under a title row, several phones in a cell, blank rows skipped', () => {
    const rows = [
      ['2026年12月 线索名单'],
      ['客户姓名', '手机号', '微信', '公司', '备注'],
      ['孙先生', '137 0000 1111、13700001112', '', '', '想了解车贷'],
      ['', '', '', '', ''],
      ['周女士', '', 'zhou_wx', '周氏贸易', ''],
      ['无联系方式', '', '', '', '只留了名字'],
    ];
    expect(sheetCandidates(rows)).toEqual([
      { name: '孙先生', phones: ['137 0000 1111', '13700001112'], wechatIds: [], content: '想了解车贷' },
      { name: '周女士', phones: [], wechatIds: ['zhou_wx'], content: '周氏贸易' },
      // Kept: the review marks it as having no valid contact (not importable) instead of hiding it.
      { name: '无联系方式', phones: [], wechatIds: [], content: '只留了名字' },
    ]);
  });

  it('rows pasted without a header: phones by their shape, the first other short cell as the name', () => {
    const rows = [
      ['刘经理', '13810012001', '房产抵押'],
      ['13910023002', '王先生'],
      ['只有文字', '没有电话'], // names 电话 like a header would: the reading that finds phones wins
    ];
    expect(sheetCandidates(rows)).toEqual([
      { name: '刘经理', phones: ['13810012001'], wechatIds: [], content: '房产抵押' },
      { name: '王先生', phones: ['13910023002'], wechatIds: [], content: '' },
    ]);
  });

  it('feeds the same review as an extraction: invalid numbers shown crossed out, duplicates within the sheet marked', async () => {
    const candidates = sheetCandidates([
      ['姓名', '电话'],
      ['甲', '13700001111'],
      ['乙', '+86 137-0000-1111'],
      ['丙', '12345'],
    ]);
    const review = await buildReview(t.db, { url: '', title: '粘贴的表格', candidates }, { id: 'r', now: 0 });
    expect(review.leads.map((l) => l.status)).toEqual(['new', 'duplicate-page', 'invalid']);
    expect(review.leads[2]!.invalidPhones).toEqual(['12345']);
  });
});
