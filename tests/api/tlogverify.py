# SPDX-License-Identifier: Apache-2.0
"""An independent verifier for what the server's log publishes, written from
the specifications (RFC 9162 §2.1, C2SP signed-note, tlog-checkpoint,
tlog-tiles, tlog-proof) and sharing no code with src/tlog: hashing with
Python's hashlib, Ed25519 with the openssl command (any Debian has it)."""
import base64
import hashlib
import os
import subprocess
import tempfile

ED25519_SPKI = bytes.fromhex('302a300506032b6570032100')  # DER prefix of a raw public key


def leaf_hash(entry):
    return hashlib.sha256(b'\x00' + entry).digest()


def node_hash(left, right):
    return hashlib.sha256(b'\x01' + left + right).digest()


def mth(leaves):
    """RFC 9162 MTH over leaf hashes."""
    if not leaves:
        return hashlib.sha256(b'').digest()
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return node_hash(mth(leaves[:k]), mth(leaves[k:]))


def verify_inclusion(index, size, leaf, proof, root):
    """RFC 9162 §2.1.3.2."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(size1, size2, root1, root2, proof):
    """RFC 9162 §2.1.4.2, for 0 < size1 < size2."""
    if not proof or not 0 < size1 < size2:
        return False
    if size1 & (size1 - 1) == 0:
        proof = [root1] + proof
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == root1 and sr == root2 and sn == 0


def parse_vkey(text):
    name, keyhash, b64 = text.strip().split('+', 2)
    key = base64.b64decode(b64, validate=True)
    assert key[0] == 1 and len(key) == 33, 'not an Ed25519 verifier key'
    want = hashlib.sha256(name.encode() + b'\n' + key).digest()[:4].hex()
    assert want == keyhash, 'key hash mismatch'
    return name, bytes.fromhex(keyhash), key[1:]


def ed25519_ok(public, message, signature):
    with tempfile.TemporaryDirectory() as d:
        paths = [os.path.join(d, n) for n in ('pub.der', 'msg', 'sig')]
        for path, data in zip(paths, (ED25519_SPKI + public, message, signature)):
            with open(path, 'wb') as f:
                f.write(data)
        r = subprocess.run(['openssl', 'pkeyutl', '-verify', '-pubin', '-inkey', paths[0],
                            '-keyform', 'DER', '-rawin', '-in', paths[1], '-sigfile', paths[2]],
                           capture_output=True)
        return r.returncode == 0


def open_note(note, vkey_text):
    """The signed text of a C2SP signed note if 'vkey_text' signed it, else None."""
    name, keyhash, public = parse_vkey(vkey_text)
    cut = note.rindex(b'\n\n')
    text, sigs = note[:cut + 1], note[cut + 2:]
    for line in sigs.decode().splitlines():
        assert line.startswith('\u2014 '), 'bad signature line %r' % line
        who, b64 = line[2:].split(' ')
        blob = base64.b64decode(b64, validate=True)
        if who == name and blob[:4] == keyhash:
            return text if ed25519_ok(public, text, blob[4:]) else None
    return None


def parse_checkpoint(text):
    lines = text.decode().split('\n')
    return lines[0], int(lines[1]), base64.b64decode(lines[2], validate=True)


def parse_receipt(text):
    """c2sp.org/tlog-proof@v1: (extra, index, proof, checkpoint note)."""
    head, note = text.split(b'\n\n', 1)
    lines = head.decode().split('\n')
    assert lines[0] == 'c2sp.org/tlog-proof@v1', lines[0]
    extra = None
    if lines[1].startswith('extra '):
        extra = base64.b64decode(lines[1][6:], validate=True)
        lines = lines[1:]
    assert lines[1].startswith('index ')
    return extra, int(lines[1][6:]), [base64.b64decode(x, validate=True) for x in lines[2:]], note


def split_bundle(data):
    out, at = [], 0
    while at < len(data):
        n = int.from_bytes(data[at:at + 2], 'big')
        out.append(data[at + 2:at + 2 + n])
        at += 2 + n
    return out
