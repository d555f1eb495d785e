package org.ppml.attestation.tdx;

import java.nio.file.Files;
import org.ppml.attestation.evidence.EvidenceContext;
import org.ppml.attestation.evidence.EvidenceProvider;
import org.ppml.attestation.evidence.EvidenceProviderFactory;

/** The {@code tdx} factory: available where configfs-tsm's report directory exists. */
public final class TdxConfigfsProviderFactory implements EvidenceProviderFactory {

  @Override
  public String name() {
    return TdxConfigfsProvider.NAME;
  }

  @Override
  public boolean isAvailable(EvidenceContext context) {
    return Files.isDirectory(context.resolve(TdxConfigfsProvider.REPORT_ROOT));
  }

  @Override
  public EvidenceProvider create(EvidenceContext context) {
    return new TdxConfigfsProvider(
        context.resolve(TdxConfigfsProvider.REPORT_ROOT), TsmReportEntries.configfs());
  }
}
