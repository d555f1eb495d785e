package org.ppml.kms.audit;

import java.util.List;

/**
 * One page of the audit log, lowest id (oldest) first.
 *
 * @param records the records of this page
 * @param next the id to pass as {@code after} for the following page, or null when no record
 *     follows this page
 */
public record AuditPage(List<AuditRecord> records, Long next) {
  public AuditPage {
    records = List.copyOf(records);
  }
}
