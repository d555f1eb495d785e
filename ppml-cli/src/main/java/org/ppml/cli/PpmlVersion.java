package org.ppml.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code ppml --version}: the jar's implementation version. */
public final class PpmlVersion implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = PpmlVersion.class.getPackage().getImplementationVersion();
    return new String[] {"ppml " + (v == null ? "development build" : v)};
  }
}
