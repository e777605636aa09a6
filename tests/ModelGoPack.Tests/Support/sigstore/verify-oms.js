// An independent check of an OMS v1.0 signature made by ModelGoPack: sigstore-js (@sigstore/bundle, @sigstore/verify,
// @sigstore/core) parses the bundle and verifies its DSSE signature with the given public key; the OMS predicate is then
// read here: resources sorted by Unicode code point (their UTF-8 bytes, not JavaScript's UTF-16 string order) and the
// root digest recomputed. Usage: node verify-oms.js SIGNATURE PUBLIC-KEY.pem. Prints "verified" and exits 0, or prints
// why not and exits 1.
'use strict';
const fs = require('fs');
const nodeCrypto = require('crypto');
const { bundleFromJSON } = require('@sigstore/bundle');
const { toSignedEntity, Verifier } = require('@sigstore/verify');

function fail(why) {
  console.log(`not verified: ${why}`);
  process.exit(1);
}

const [signaturePath, keyPath] = process.argv.slice(2);
const json = JSON.parse(fs.readFileSync(signaturePath, 'utf8'));
const pem = fs.readFileSync(keyPath, 'utf8');
const key = nodeCrypto.createPublicKey(pem);
// OMS's key hint: the SHA-256 of the public key's PEM (SubjectPublicKeyInfo), as OMS's reference implementation makes it.
const spkiPem = key.export({ type: 'spki', format: 'pem' });
const hint = nodeCrypto.createHash('sha256').update(spkiPem).digest('hex');

let bundle;
try {
  bundle = bundleFromJSON(json);
} catch (e) {
  fail(`sigstore-js refuses the bundle: ${e.message}`);
}

const trustMaterial = {
  certificateAuthorities: [],
  timestampAuthorities: [],
  tlogs: [],
  ctlogs: [],
  publicKey: (given) => {
    if (given !== hint) {
      throw new Error(`the bundle names key ${given}, not ${hint}`);
    }
    return { publicKey: key, validFor: () => true };
  },
};

try {
  new Verifier(trustMaterial, { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 }).verify(toSignedEntity(bundle));
} catch (e) {
  fail(`sigstore-js: ${e.message}`);
}

const envelope = bundle.content.dsseEnvelope;
if (envelope.payloadType !== 'application/vnd.in-toto+json') fail(`payloadType ${envelope.payloadType}`);
const statement = JSON.parse(Buffer.from(envelope.payload).toString('utf8'));
if (statement._type !== 'https://in-toto.io/Statement/v1') fail(`_type ${statement._type}`);
if (statement.predicateType !== 'https://model_signing/signature/v1.0') fail(`predicateType ${statement.predicateType}`);
const resources = statement.predicate.resources;
for (let i = 1; i < resources.length; i++) {
  if (Buffer.compare(Buffer.from(resources[i - 1].name, 'utf8'), Buffer.from(resources[i].name, 'utf8')) >= 0) {
    fail(`resources not in code point order: ${JSON.stringify(resources[i - 1].name)} before ${JSON.stringify(resources[i].name)}`);
  }
}
const root = nodeCrypto.createHash('sha256');
for (const resource of resources) root.update(Buffer.from(resource.digest, 'hex'));
if (root.digest('hex') !== statement.subject[0].digest.sha256) fail('the root digest is not the SHA-256 of the resource digests');
console.log(`verified ${resources.length} resources`);
