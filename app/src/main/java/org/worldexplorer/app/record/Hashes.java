package org.worldexplorer.app.record;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 in lower-case hex, of whole files, of a file's first or last bytes, and of buffers. */
final class Hashes {

  private Hashes() {}

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this Java runtime has no SHA-256, which every Java 17 must have", e);
    }
  }

  static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }

  static String ofFile(Path file) throws IOException {
    MessageDigest digest = sha256();
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        digest.update(buffer, 0, n);
      }
    }
    return hex(digest.digest());
  }

  /** Hash of {@code length} bytes from {@code offset} (fewer when the file ends first). */
  static String ofRange(Path file, long offset, long length) throws IOException {
    MessageDigest digest = sha256();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
      long position = offset;
      long end = Math.min(channel.size(), offset + length);
      while (position < end) {
        buffer.clear().limit((int) Math.min(buffer.capacity(), end - position));
        int n = channel.read(buffer, position);
        if (n <= 0) {
          break;
        }
        buffer.flip();
        digest.update(buffer);
        position += n;
      }
    }
    return hex(digest.digest());
  }

  /** Hash of the bytes between {@code buffer}'s position and limit; the buffer's position is not moved. */
  static String ofBuffer(MessageDigest digest, ByteBuffer buffer) {
    digest.reset();
    digest.update(buffer.duplicate());
    return hex(digest.digest());
  }
}
