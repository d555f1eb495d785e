package org.ppml.cli;

import picocli.CommandLine.Option;

/** The {@code --json} and {@code --verbose} flags every command mixes in. */
public final class OutputOptions {
  @Option(names = "--json", description = "Print one JSON object on stdout.")
  boolean json;

  @Option(names = "--verbose", description = "Show stack traces on errors.")
  boolean verbose;

  public boolean json() {
    return json;
  }

  public boolean verbose() {
    return verbose;
  }
}
