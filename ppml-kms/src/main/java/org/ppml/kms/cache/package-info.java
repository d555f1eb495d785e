/**
 * Caches of costly derivations (parsed policies, verified tokens, checked TEE keys) keyed by their
 * exact input text, so the broker's release path repeats no parse or signature check for a request
 * it has seen before, and no cache ever serves a stale answer.
 */
package org.ppml.kms.cache;
