/**
 * A person's choices of how notices reach him (ADR 025): the channels per kind (the in-site
 * list is always on), his messages' language, and the ending-soon reminder's N. The e-mail
 * address and phone number are those of his account.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../../db/client.js';
import { users } from '../../db/schema/identity.js';
import { notificationSettings } from '../../db/schema/notifications.js';
import type { Clock } from '../clock.js';
import { LOCALES } from '../http/cookies.js';
import { type Actor, requireActor } from '../identity/permissions.js';
import { parseInput } from '../validation.js';
import { recentDeliveries } from './deliveries.js';
import { moveEndingSoonReminders } from './reminders.js';
import {
  CHANNELS,
  type Channel,
  channelsFor,
  DEFAULT_ENDING_SOON_MINUTES,
  type DeliverableKind,
  ENDING_SOON_CHOICES,
  kindsFor,
} from './rules.js';

interface Deps {
  db: Database;
  clock: Clock;
}

export async function myPreferences(deps: Deps, actorIn: Actor | null) {
  const actor = requireActor(actorIn);
  const [row] = await deps.db
    .select({ email: users.email, phone: users.phone, s: notificationSettings })
    .from(users)
    .leftJoin(notificationSettings, eq(notificationSettings.userId, users.id))
    .where(eq(users.id, actor.userId));
  const chosen = row?.s?.channels;
  return {
    email: row?.email ?? '',
    phone: row?.phone ?? null,
    /** Null until he saves once: the page offers the language he reads it in. */
    locale: row?.s?.locale ?? null,
    endingSoonMinutes: row?.s?.endingSoonMinutes ?? DEFAULT_ENDING_SOON_MINUTES,
    endingSoonChoices: [...ENDING_SOON_CHOICES],
    /** Whether the reminder's N applies to him (a bidder). */
    bidder: actor.roles.includes('bidder'),
    kinds: kindsFor(actor.roles).map((kind) => {
      const on = channelsFor(kind, chosen);
      return {
        kind,
        channels: CHANNELS.map((channel) => ({
          channel,
          on: on.includes(channel),
          // No phone on the account: SMS cannot be chosen (the page says where to add one).
          available: channel === 'email' || !!row?.phone,
        })),
      };
    }),
    recent: await recentDeliveries(deps.db, actor.userId),
  };
}

const SaveSchema = z.object({
  locale: z.enum(LOCALES),
  endingSoonMinutes: z.coerce
    .number()
    .int()
    .refine((m) => (ENDING_SOON_CHOICES as readonly number[]).includes(m), 'notify.prefs.badMinutes'),
  /** Checked boxes, each `kind:channel`. */
  choices: z.array(z.string().regex(/^[A-Za-z]+:(email|sms)$/, 'notify.prefs.badChoice')).max(100),
});

/** Saves every kind shown to him at once (an unchecked box is a channel turned off). */
export async function savePreferences(deps: Deps, actorIn: Actor | null, input: unknown) {
  const actor = requireActor(actorIn);
  const data = parseInput(SaveSchema, input);
  const mine = kindsFor(actor.roles);
  const channels: Record<string, Channel[]> = {};
  for (const kind of mine) channels[kind] = [];
  for (const c of data.choices) {
    const [kind, channel] = c.split(':') as [DeliverableKind, Channel];
    // A kind he cannot receive is ignored rather than stored.
    if (mine.includes(kind)) channels[kind]!.push(channel);
  }
  const now = deps.clock();
  await deps.db.transaction(async (tx) => {
    const [before] = await tx
      .select({ m: notificationSettings.endingSoonMinutes })
      .from(notificationSettings)
      .where(eq(notificationSettings.userId, actor.userId))
      .for('update');
    const values = {
      locale: data.locale,
      channels,
      endingSoonMinutes: data.endingSoonMinutes,
      updatedAt: now,
    };
    await tx
      .insert(notificationSettings)
      .values({ userId: actor.userId, ...values })
      .onConflictDoUpdate({ target: notificationSettings.userId, set: values });
    if ((before?.m ?? DEFAULT_ENDING_SOON_MINUTES) !== data.endingSoonMinutes)
      await moveEndingSoonReminders(tx, actor.userId, data.endingSoonMinutes, now);
  });
  return { saved: true as const };
}
