/**
 * The query of a KMS URI ({@code SCHEME://host:port?name=value&…}) as every remote backend of this
 * module reads it: {@link org.ppml.kmsclient.uri.KmsUriQuery} is the grammar (decoding, names a
 * backend accepts, repeats) and {@link org.ppml.kmsclient.uri.EvidenceUriOptions} the parameters
 * that choose the evidence provider attesting this process. The broker backends ({@code
 * ppml+https}, {@code kbs+https}) and eHSM ({@code ehsm+https}) share them, so a {@code provider=}
 * means the same on all of them.
 */
package org.ppml.kmsclient.uri;
