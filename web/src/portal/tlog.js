// SPDX-License-Identifier: Apache-2.0
// web/src/portal/tlog.js -- checks a receipt of the county's public log in the
// browser, without trusting the server's word: the receipt's format (C2SP
// tlog-proof), the checkpoint's signature by the log's key (C2SP signed-note,
// Ed25519), the entry's inclusion (RFC 9162 §2.1.3.2) and that the log has
// only grown since (§2.1.4.2). Web Crypto does SHA-256 and Ed25519; no Vue
// here. Every failure is a Problem whose 'why' names a message
// (verify.why.<why> in shared/messages/verify.js) and whose params fill it in.
// The C side is src/tlog (note.c, receipt.c, merkle.c).

export const STEPS = ['format', 'signature', 'inclusion', 'consistency'];
export const PLATFORM_REGION = '000000000000';

const HASH_BYTES = 32;
const MAX_PROOF = 64;
const RECEIPT_HEADER = 'c2sp.org/tlog-proof@v1';
const LEAF_HEADER = 'xiangzhi/leaf/v1';
const LEAF_FIELDS = ['kind', 'ref', 'region', 'time', 'commit'];
const ALG_ED25519 = 0x01;
const SIGNATURE_LINE = /^\u2014 ([^\s+]+) (\S+)$/;
const VERIFIER_KEY = /^([^\s+]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/;
const CANONICAL_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const DECIMAL = /^(?:0|[1-9][0-9]{0,15})$/;
// Control characters other than "\n" may not appear in a note (C2SP signed-note).
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f]/;

export class Problem extends Error {
  constructor(why, params = {}) {
    super(why);
    this.why = why;
    this.params = params;
  }
}

// ---- bytes and encodings ---------------------------------------------------

function concatBytes(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function sameBytes(a, b) {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export function toHex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function encodeBase64(bytes) {
  return btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(''));
}

// Standard base64, padded, nothing else: the only spelling of its bytes (the
// unused bits of the last character must be zero). Null when it is not.
export function decodeBase64(text) {
  if (!CANONICAL_BASE64.test(text)) return null;
  const bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  return encodeBase64(bytes) === text ? bytes : null;
}

function decodeHash(text) {
  const bytes = decodeBase64(text);
  return bytes && bytes.length === HASH_BYTES ? bytes : null;
}

function decimal(text) {
  if (!DECIMAL.test(text)) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : null;
}

function utf8(text) {
  return new TextEncoder().encode(text);
}

// ---- hashing (RFC 9162 §2.1.1) ---------------------------------------------

function subtle() {
  if (!globalThis.crypto || !globalThis.crypto.subtle) throw new Problem('noWebCrypto');
  return globalThis.crypto.subtle;
}

export async function sha256(bytes) {
  return new Uint8Array(await subtle().digest('SHA-256', bytes));
}

export function leafHash(entry) {
  return sha256(concatBytes(Uint8Array.of(0x00), entry));
}

export function nodeHash(left, right) {
  return sha256(concatBytes(Uint8Array.of(0x01), left, right));
}

// ---- Merkle proofs ---------------------------------------------------------

// While fn is even and not zero, shift fn and sn right (the RFC's "until
// LSB(fn) is set, or fn is 0"). BigInt: a log may outgrow 32-bit bitwise ops.
function shiftToSetBit(state) {
  while ((state.fn & 1n) === 0n && state.fn !== 0n) {
    state.fn >>= 1n;
    state.sn >>= 1n;
  }
}

// RFC 9162 §2.1.3.2: is 'leaf' the index-th of the size-leaf tree with 'root'?
export async function verifyInclusion(index, size, leaf, proof, root) {
  if (index >= size) return false; // 1
  const s = { fn: BigInt(index), sn: BigInt(size - 1) }; // 2
  let r = leaf; // 3
  for (const p of proof) { // 4
    if (s.sn === 0n) return false; // 4a
    if ((s.fn & 1n) === 1n || s.fn === s.sn) { // 4b
      r = await nodeHash(p, r);
      if ((s.fn & 1n) === 0n) shiftToSetBit(s);
    } else {
      r = await nodeHash(r, p);
    }
    s.fn >>= 1n; // 4c
    s.sn >>= 1n;
  }
  return s.sn === 0n && sameBytes(r, root); // 5
}

// RFC 9162 §2.1.4.2 steps 2-7, for 0 < size1 < size2 and a non-empty proof.
async function consistencyPath(size1, size2, root1, root2, proof) {
  const powerOfTwo = (BigInt(size1) & BigInt(size1 - 1)) === 0n; // 2
  const path = powerOfTwo ? [root1, ...proof] : proof;
  const s = { fn: BigInt(size1 - 1), sn: BigInt(size2 - 1) }; // 3
  while ((s.fn & 1n) === 1n) { // 4
    s.fn >>= 1n;
    s.sn >>= 1n;
  }
  let fr = path[0]; // 5
  let sr = path[0];
  for (const c of path.slice(1)) { // 6
    if (s.sn === 0n) return false; // 6a
    if ((s.fn & 1n) === 1n || s.fn === s.sn) { // 6b
      fr = await nodeHash(c, fr);
      sr = await nodeHash(c, sr);
      if ((s.fn & 1n) === 0n) shiftToSetBit(s);
    } else {
      sr = await nodeHash(sr, c);
    }
    s.fn >>= 1n; // 6c
    s.sn >>= 1n;
  }
  return sameBytes(fr, root1) && sameBytes(sr, root2) && s.sn === 0n; // 7
}

// Does the size2-leaf tree with root2 extend the size1-leaf tree with root1?
export async function verifyConsistency(size1, size2, root1, root2, proof) {
  if (size1 > size2) return false;
  if (size1 === size2) return proof.length === 0 && sameBytes(root1, root2);
  if (size1 === 0) return proof.length === 0 && sameBytes(root1, await sha256(new Uint8Array(0)));
  if (proof.length === 0) return false; // 1
  return consistencyPath(size1, size2, root1, root2, proof);
}

// ---- signed notes, keys, checkpoints ---------------------------------------

// A verifier key "name+hash8hex+base64(0x01 || pubkey32)", its hash checked:
// the first 4 bytes of SHA-256(name || "\n" || 0x01 || pubkey).
export async function parseVerifierKey(text) {
  const m = VERIFIER_KEY.exec(text.trim());
  const key = m && decodeBase64(m[3]);
  if (!key || key.length !== 33 || key[0] !== ALG_ED25519) throw new Problem('keyFormat');
  const [, name, hash] = m;
  const id = (await sha256(concatBytes(utf8(name), Uint8Array.of(0x0a), key))).slice(0, 4);
  if (toHex(id) !== hash) throw new Problem('keyHash', { name, hash });
  return { name, hash, id, publicKey: key.slice(1) };
}

// A signed note: the text (up to and including the "\n" before the last blank
// line) and its signature lines "— name base64(keyid4 || signature)".
export function parseNote(note) {
  const cut = note.lastIndexOf('\n\n');
  if (cut < 0 || !note.endsWith('\n')) throw new Problem('noteShape');
  const text = note.slice(0, cut + 1);
  if (CONTROL.test(text)) throw new Problem('noteText');
  const lines = note.slice(cut + 2, -1);
  if (lines === '') throw new Problem('noSignatures');
  const signatures = lines.split('\n').map((line, i) => {
    const m = SIGNATURE_LINE.exec(line);
    const blob = m && decodeBase64(m[2]);
    if (!blob || blob.length < 5) throw new Problem('signatureLine', { line: i + 1 });
    return { name: m[1], keyId: blob.slice(0, 4), signature: blob.slice(4) };
  });
  return { text, signatures };
}

// A checkpoint's text: origin, size, base64 root, then any extension lines.
export function parseCheckpoint(text) {
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3 || lines.some((l) => l === '')) throw new Problem('checkpointLines');
  const size = decimal(lines[1]);
  if (size === null) throw new Problem('checkpointSize');
  const root = decodeHash(lines[2]);
  if (!root) throw new Problem('checkpointRoot');
  return { origin: lines[0], size, root };
}

async function ed25519Verify(publicKey, signature, message) {
  let key;
  try {
    key = await subtle().importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
  } catch (e) {
    if (e instanceof Problem) throw e;
    throw new Problem('noEd25519', { message: e.message });
  }
  return subtle().verify({ name: 'Ed25519' }, key, signature, message);
}

// The note's signature by 'key' must be there and hold (other keys' lines are
// skipped, as golang.org/x/mod/sumdb/note's Open does).
export async function verifyNoteSignature(note, key) {
  const mine = note.signatures.filter((s) => s.name === key.name && sameBytes(s.keyId, key.id));
  if (mine.length === 0) throw new Problem('notSignedByKey', { name: key.name, hash: key.hash });
  for (const s of mine)
    if (s.signature.length !== 64 || !(await ed25519Verify(key.publicKey, s.signature, utf8(note.text))))
      throw new Problem('badSignature', { name: key.name });
}

// ---- receipts and entries --------------------------------------------------

// What people paste: Windows line ends, blank space around, a lost final "\n".
export function normalizeReceipt(text) {
  return `${text.replace(/\r\n?/g, '\n').trim()}\n`;
}

// c2sp.org/tlog-proof@v1: the entry (extra), its index, the proof hashes up
// to a blank line, then the signed checkpoint note verbatim.
export function parseReceipt(raw) {
  const text = normalizeReceipt(raw);
  if (text === '\n') throw new Problem('empty');
  const blank = text.indexOf('\n\n');
  const head = (blank < 0 ? text.slice(0, -1) : text.slice(0, blank)).split('\n');
  if (head[0] !== RECEIPT_HEADER) throw new Problem('header');
  if (!head[1] || !head[1].startsWith('extra ')) throw new Problem('noEntry');
  const entry = decodeBase64(head[1].slice(6));
  if (!entry || entry.length === 0) throw new Problem('entryBase64');
  const index = head[2] && head[2].startsWith('index ') ? decimal(head[2].slice(6)) : null;
  if (index === null) throw new Problem('indexLine');
  const proofLines = head.slice(3);
  if (proofLines.length > MAX_PROOF) throw new Problem('tooManyProof');
  const proof = proofLines.map((line, i) => {
    const hash = decodeHash(line);
    if (!hash) throw new Problem('proofLine', { line: i + 4 });
    return hash;
  });
  if (blank < 0 || blank + 2 >= text.length) throw new Problem('noCheckpoint');
  return { entry, index, proof, note: text.slice(blank + 2) };
}

// The leaf entry, version 1 (src/tlog/tlog.h): six lines in a fixed order.
export function parseEntry(bytes) {
  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Problem('entryText');
  }
  const lines = text.split('\n');
  if (lines.pop() !== '' || lines[0] !== LEAF_HEADER) throw new Problem('entryVersion', { text });
  if (lines.length !== LEAF_FIELDS.length + 1) throw new Problem('entryFields', { text });
  const entry = { text };
  LEAF_FIELDS.forEach((field, i) => {
    const line = lines[i + 1];
    if (!line.startsWith(`${field} `)) throw new Problem('entryFields', { text });
    entry[field] = line.slice(field.length + 1);
  });
  entry.time = decimal(entry.time);
  if (!/^\d{12}$/.test(entry.region) || entry.time === null || !decodeHash(entry.commit))
    throw new Problem('entryFields', { text });
  return entry;
}

// ---- the four checks -------------------------------------------------------

async function checkFormat(ctx) {
  ctx.receipt = parseReceipt(ctx.receiptText);
  ctx.checkpoint = parseCheckpoint(parseNote(ctx.receipt.note).text);
  try {
    ctx.entry = parseEntry(ctx.receipt.entry);
  } catch (e) {
    ctx.entryProblem = e;
  }
  return { index: ctx.receipt.index, proof: ctx.receipt.proof.length };
}

async function checkSignature(ctx) {
  ctx.key = await parseVerifierKey(await ctx.fetchText('/tlog/vkey'));
  await verifyNoteSignature(parseNote(ctx.receipt.note), ctx.key);
  return { name: ctx.key.name, hash: ctx.key.hash, origin: ctx.checkpoint.origin };
}

async function checkInclusion(ctx) {
  const { index, proof, entry } = ctx.receipt;
  const { size, root } = ctx.checkpoint;
  const params = { n: index + 1, index, size };
  if (index >= size) throw new Problem('indexBeyond', params);
  if (!(await verifyInclusion(index, size, await leafHash(entry), proof, root)))
    throw new Problem('inclusionFails', params);
  return params;
}

// The newest checkpoint, signed by the same key, of the same log.
async function currentCheckpoint(ctx) {
  const note = parseNote(await ctx.fetchText('/tlog/checkpoint'));
  try {
    await verifyNoteSignature(note, ctx.key);
  } catch {
    throw new Problem('currentSignature');
  }
  const current = parseCheckpoint(note.text);
  if (current.origin !== ctx.checkpoint.origin) throw new Problem('otherLog', { origin: current.origin });
  return current;
}

// GET /tlog/proof/consistency: JSON {old, new, root, proof: [base64...]}.
async function consistencyProof(ctx, size1, size2) {
  const body = await ctx.fetchText(`/tlog/proof/consistency?old=${size1}&new=${size2}`);
  let data;
  try {
    data = JSON.parse(body);
  } catch {
    throw new Problem('proofResponse');
  }
  const proof = Array.isArray(data.proof) ? data.proof.map(decodeHash) : [null];
  if (data.old !== size1 || data.new !== size2 || proof.some((h) => !h)) throw new Problem('proofResponse');
  return proof;
}

async function checkConsistency(ctx) {
  const then = ctx.checkpoint;
  const now = await currentCheckpoint(ctx);
  ctx.current = now;
  const params = { receipt: then.size, current: now.size };
  if (now.size === then.size) {
    if (!sameBytes(now.root, then.root)) throw new Problem('forked', params);
    return { ...params, how: 'same' };
  }
  // Usually the log has grown since the receipt; a receipt newer than the
  // checkpoint this page got (a cache, a race) is checked the other way round.
  const [older, newer] = now.size > then.size ? [then, now] : [now, then];
  const proof = await consistencyProof(ctx, older.size, newer.size);
  if (!(await verifyConsistency(older.size, newer.size, older.root, newer.root, proof)))
    throw new Problem('consistencyFails', params);
  return { ...params, how: now.size > then.size ? 'grown' : 'ahead' };
}

const CHECKS = { format: checkFormat, signature: checkSignature, inclusion: checkInclusion, consistency: checkConsistency };

// Run the checks in order until one fails; the rest stay 'skipped'. Each step
// is { id, state: 'ok' | 'fail' | 'skipped', why, params }. fetchText(path)
// returns the body of a GET to the server or throws a Problem('fetch', ...).
// The report also carries what was read: receipt, checkpoint, entry (or
// entryProblem), key, current checkpoint.
export async function checkReceipt(receiptText, fetchText) {
  const ctx = { receiptText, fetchText };
  const steps = STEPS.map((id) => ({ id, state: 'skipped', why: '', params: {} }));
  for (const step of steps) {
    try {
      step.params = await CHECKS[step.id](ctx);
      step.state = 'ok';
    } catch (e) {
      const problem = e instanceof Problem ? e : new Problem('unexpected', { message: String(e && e.message) });
      Object.assign(step, { state: 'fail', why: problem.why, params: problem.params });
      break;
    }
  }
  const { receipt, checkpoint, entry, entryProblem, key, current } = ctx;
  return { steps, receipt, checkpoint, entry, entryProblem, key, current, ok: steps.every((s) => s.state === 'ok') };
}
