package org.worldexplorer.app;

import picocli.CommandLine.Command;

@Command(name = "doctor", description = "Check Java, ONNX Runtime and a bundle, and say what to do about failures.")
final class DoctorCommand implements Runnable {
  @Override
  public void run() {
    System.out.println("Java " + System.getProperty("java.version"));
  }
}
