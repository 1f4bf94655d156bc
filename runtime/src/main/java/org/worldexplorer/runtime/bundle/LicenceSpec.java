package org.worldexplorer.runtime.bundle;

/**
 * The licence of a bundle's weights; the app shows it for every bundle.
 *
 * @param name licence name, e.g. {@code Apache-2.0}
 * @param url where the licence text is published, or null
 * @param file a licence text inside the bundle folder, or null
 */
public record LicenceSpec(String name, String url, String file) {

  public LicenceSpec {
    Require.text(name, "licence.name");
    if (url != null) {
      Require.text(url, "licence.url");
    }
    if (file != null) {
      Require.plainFile(file, "licence.file");
    }
  }
}
