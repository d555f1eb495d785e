/**
 * Strict, bounded JSON parsing for untrusted input ({@link org.ppml.crypto.json.StrictJsonMapper}).
 */
package org.ppml.crypto.json;
