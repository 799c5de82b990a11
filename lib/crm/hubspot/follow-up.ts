// addFollowUp: a note (POST /crm/v3/objects/notes {hs_note_body, hs_timestamp}) associated to the
// contact (note→contact type 202), created once per follow-up (engagement.ts).
import type { FollowUp } from '../../model';
import { CrmError } from '../errors';
import type { RemoteRef, WriteOptions } from '../port';
import type { HubspotContext } from './client';
import { createEngagementOnce } from './engagement';
import { ASSOC } from './objects';
import { noteBody } from './values';

export async function addFollowUp(ctx: HubspotContext, contactId: string, f: FollowUp, opts: WriteOptions): Promise<RemoteRef> {
  if (!/^\d+$/.test(contactId)) throw new CrmError('validation', 'HubSpot: a contact id is a number');
  const properties = { hs_note_body: noteBody(f), hs_timestamp: String(Math.round(f.at)) };
  const id = await createEngagementOnce(ctx, 'notes', contactId, properties, ['hs_timestamp'], ASSOC.noteToContact, opts.signal);
  return { remoteId: id };
}
