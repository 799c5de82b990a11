// The converter from WeCom's YAML to JSON Schema, held to the files themselves: how many files and
// operations it reads, how is_required was normalised (each odd value listed), that the overlay's
// pointers still resolve, and that the validator built from it rejects what the YAML forbids (so
// the "0 violations" of the contract tests can fail).
import { describe, expect, it } from 'vitest';
import { specsAvailable, specsRequired } from '../../../specs/openapi';
import { convertWecomYaml, WECOM_DIR, WECOM_PATCHES, wecomSpec } from './yaml-schema';

const run = specsAvailable(WECOM_DIR) || specsRequired();

describe.skipIf(!run)('WeCom YAML → JSON Schema', () => {
  it('reads every file, normalises is_required and applies each patch', () => {
    const d = convertWecomYaml();
    console.log(`wecom YAML: ${d.files} files, ${d.operations} operations, ${d.normalisation.length} is_required values neither boolean nor 是/否 (treated as not required): ${d.normalisation.slice(0, 8).map((n) => `${n.file} ${n.field}=${JSON.stringify(n.value).slice(0, 40)}`).join('; ')}${d.normalisation.length > 8 ? '; …' : ''}; duplicates: ${d.duplicates.length}; files without a usable path/method: ${d.unusable.length}; patches: ${d.applied.map((p) => p.id).join(', ')}`);
    expect(d.files).toBe(239);
    expect(d.operations).toBeGreaterThan(200);
    expect(d.applied.map((p) => p.id).sort()).toEqual(WECOM_PATCHES.map((p) => p.id).sort());
    const remark = d.doc.paths['/cgi-bin/externalcontact/remark'].post.requestBody.content['application/json'].schema;
    expect(remark.required).toEqual(['userid', 'external_userid']); // 是 → required, 否 → not
    expect(remark.properties.remark_mobiles).toEqual({ type: 'array', items: { type: 'string' } });
    const get = d.doc.paths['/cgi-bin/externalcontact/get'].get.parameters;
    expect(get.map((p: { name: string; required: boolean }) => `${p.name}:${p.required}`)).toEqual(['access_token:true', 'external_userid:true', 'cursor:false']);
  });

  it('rejects requests the YAML forbids', async () => {
    const spec = await wecomSpec();
    const url = (p: string, q = 'access_token=T') => new URL(`https://qyapi.weixin.qq.com${p}?${q}`);
    const headers = { 'content-type': 'application/json' };
    const ok = spec.check('POST', url('/cgi-bin/externalcontact/remark'), { userid: 'zhangsan', external_userid: 'wmX', remark: '王总' }, headers);
    expect(ok.errors).toEqual([]);
    expect(spec.check('POST', url('/cgi-bin/externalcontact/remark'), { external_userid: 'wmX', remark: '王总' }, headers).errors.join()).toMatch(/userid/);
    expect(spec.check('POST', url('/cgi-bin/externalcontact/remark'), { userid: 'zhangsan', external_userid: 'wmX', nickname: 'x' }, headers).errors.join()).toMatch(/additional/);
    expect(spec.check('POST', url('/cgi-bin/externalcontact/mark_tag'), { userid: 'z', external_userid: 'w', add_tag: [1] }, headers).errors.join()).toMatch(/string/);
    expect(spec.check('GET', url('/cgi-bin/externalcontact/get', 'external_userid=w'), undefined).errors.join()).toMatch(/access_token: required/);
    expect(spec.check('POST', url('/cgi-bin/oa/schedule/add'), { schedule: { organizer: 'z', start_time: '1' } }, headers).errors.join()).toMatch(/end_time|number/);
    expect(spec.check('POST', url('/cgi-bin/message/send'), { touser: 'z', msgtype: 'text', text: { content: 'x' } }, headers).errors.join()).toMatch(/agentid/);
  });
});
