import { BusEvent } from '@monkeytown/shared';

/**
 * The JSON text of bus events that were validated as they came off the wire, so the
 * event-stream can build a socket frame from it without parsing, validating or
 * serialising the event again (it used to do all three once more per event).
 * Weak: an event's text lives exactly as long as the event.
 */
const texts = new WeakMap<BusEvent, string>();

/** The contract's fields: a payload with no others says exactly what its validated event says. */
const FIELDS = new Set(Object.keys(BusEvent.shape));

/**
 * A bus message (a pub/sub payload or a replay entry) parsed and checked against the
 * contract once; null when it is not JSON or not a BusEvent (the caller drops it).
 * The event remembers its JSON text: the payload itself when it holds exactly the
 * contract's fields (so it says no more than the validated event; the common case,
 * the publisher writes `JSON.stringify(event)`), else the validated event re-serialised
 * (unknown fields stripped).
 */
export function decodeBusEvent(payload: string): BusEvent | null {
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return null;
  }
  const parsed = BusEvent.safeParse(json);
  if (!parsed.success) return null;
  const exact = payload.charCodeAt(0) === 0x7b /* { */ && Object.keys(json as object).every((k) => FIELDS.has(k));
  texts.set(parsed.data, exact ? payload : JSON.stringify(parsed.data));
  return parsed.data;
}

/** The validated JSON text of an event decoded by decodeBusEvent; undefined for any other object. */
export function busEventText(event: BusEvent): string | undefined {
  return texts.get(event);
}
