/**
 * The broker's audit log: one durable record per auth, attest, release and denial, with the peer,
 * the attested measurements, the key named, the decision and every violation. Records name keys but
 * can never hold key material: {@link org.ppml.kms.audit.AuditRecord} has no field for it.
 */
package org.ppml.kms.audit;
