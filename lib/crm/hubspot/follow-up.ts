// addFollowUp: a note (POST /crm/v3/objects/notes {hs_note_body, hs_timestamp}) associated to the
// contact (note→contact type 202), created once per follow-up (engagement.ts). Template values
// (opts.fields) go on top, typed; a templated hs_timestamp becomes epoch ms like Liaison's own,
// so the natural key the retry searches by compares like with like. The body's last line names
// the follow-up's Liaison id (values.ts withNoteMarker), read back as liaisonKey.
import type { FollowUp } from '../../model';
import { CrmError } from '../errors';
import type { RemoteRef, WriteOptions } from '../port';
import type { HubspotContext } from './client';
import { createEngagementOnce } from './engagement';
import { ASSOC } from './objects';
import { templateProperties } from './template-properties';
import { noteBody, withNoteMarker } from './values';

export async function addFollowUp(ctx: HubspotContext, contactId: string, f: FollowUp, opts: WriteOptions): Promise<RemoteRef> {
  if (!/^\d+$/.test(contactId)) throw new CrmError('validation', 'HubSpot: a contact id is a number');
  const properties = { hs_note_body: noteBody(f), hs_timestamp: String(Math.round(f.at)), ...(await templateProperties(ctx, 'notes', opts.fields, opts.signal)) };
  properties.hs_note_body = withNoteMarker(properties.hs_note_body, f.id);
  const id = await createEngagementOnce(ctx, 'notes', contactId, properties, ['hs_timestamp'], ASSOC.noteToContact, opts.signal);
  return { remoteId: id };
}
