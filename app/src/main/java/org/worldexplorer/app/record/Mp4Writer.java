package org.worldexplorer.app.record;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_from_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_GLOBALHEADER;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_close;
import static org.bytedeco.ffmpeg.global.avformat.avio_flush;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_I;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_NONE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;
import static org.bytedeco.ffmpeg.global.swscale.SWS_ACCURATE_RND;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BICUBIC;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Writes RGB frames into a fragmented MP4 through FFmpeg (avcodec + avformat + swscale). The file starts with an
 * empty {@code moov}; {@link #endFragment} writes everything since the last call as one {@code moof}+{@code mdat}
 * fragment and flushes it to the disk, so a crash or a kill leaves a playable file holding every whole fragment.
 * Each fragment starts with a key frame. Not thread-safe: one thread (the recorder's) uses it.
 *
 * <p>Order: {@link #open}, then per frame fill {@link #rgbInput()} and call {@link #writeFrame()}, then
 * {@link #endFragment()} at each chunk end, then {@link #close()} (which writes the last fragment).
 */
public final class Mp4Writer implements AutoCloseable {

  private static final String MOVFLAGS = "frag_custom+empty_moov+default_base_moof";

  private final Path file;
  private final int width;
  private final int height;
  private AVFormatContext format;
  private AVCodecContext encoder;
  private AVStream stream;
  private AVFrame frame;
  private AVPacket packet;
  private SwsContext scaler;
  private BytePointer rgb;
  private ByteBuffer rgbBuffer;
  private PointerPointer<?> rgbPlanes;
  private IntPointer rgbStride;
  private long frames;
  private boolean keyFrameNext = true;
  private boolean headerWritten;
  private boolean closed;

  static {
    av_log_set_level(AV_LOG_ERROR);
  }

  private Mp4Writer(Path file, int width, int height) {
    this.file = file;
    this.width = width;
    this.height = height;
  }

  /**
   * Creates {@code file} (replacing it) and writes the MP4 header.
   *
   * @throws IOException naming the file and FFmpeg's reason (folder missing, not writable, disk full...)
   * @throws IllegalArgumentException for sizes the encoder cannot take (odd or not positive) or a bad fps
   */
  public static Mp4Writer open(Path file, int width, int height, int fps, VideoCodec codec) throws IOException {
    if (width < 16 || height < 16 || width % 2 != 0 || height % 2 != 0) {
      throw new IllegalArgumentException("video size must be even and at least 16x16, got " + width + "x" + height);
    }
    if (fps < 1 || fps > 240) {
      throw new IllegalArgumentException("fps must be in 1..240, got " + fps);
    }
    Mp4Writer writer = new Mp4Writer(file, width, height);
    try {
      writer.start(fps, codec);
      return writer;
    } catch (IOException | RuntimeException e) {
      writer.free();
      throw e;
    }
  }

  private void start(int fps, VideoCodec codec) throws IOException {
    String path = file.toAbsolutePath().toString();
    format = new AVFormatContext(null);
    check(avformat_alloc_output_context2(format, null, "mp4", path), "cannot set up an MP4 writer");
    AVCodec found = avcodec_find_encoder_by_name(codec.encoderName());
    if (found == null || found.isNull()) {
      throw new IOException("this FFmpeg build has no " + codec.encoderName() + " encoder; try --codec mpeg4");
    }
    stream = avformat_new_stream(format, null);
    encoder = avcodec_alloc_context3(found);
    encoder.width(width);
    encoder.height(height);
    encoder.pix_fmt(AV_PIX_FMT_YUV420P);
    encoder.time_base(av_make_q(1, fps));
    encoder.framerate(av_make_q(fps, 1));
    encoder.gop_size(10 * fps); // chunks force their own key frames; this only bounds a very long chunk
    encoder.max_b_frames(0); // every frame leaves the encoder at once, so a fragment closes whole chunks
    encoder.bit_rate(bitRate(width, height, fps));
    if ((format.oformat().flags() & AVFMT_GLOBALHEADER) != 0) {
      encoder.flags(encoder.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
    }
    AVDictionary options = new AVDictionary(null);
    if (codec == VideoCodec.H264) {
      av_dict_set(options, "rc_mode", "quality", 0);
      av_dict_set(options, "allow_skip_frames", "0", 0);
    }
    try {
      check(avcodec_open2(encoder, found, options), "cannot start the " + codec.encoderName() + " encoder");
    } finally {
      av_dict_free(options);
    }
    check(avcodec_parameters_from_context(stream.codecpar(), encoder), "cannot describe the video stream");
    stream.time_base(av_make_q(1, fps));
    stream.avg_frame_rate(av_make_q(fps, 1));
    AVIOContext io = new AVIOContext(null);
    check(avio_open(io, path, AVIO_FLAG_WRITE), "cannot create the video file");
    format.pb(io);
    AVDictionary muxerOptions = new AVDictionary(null);
    av_dict_set(muxerOptions, "movflags", MOVFLAGS, 0);
    try {
      check(avformat_write_header(format, muxerOptions), "cannot write the MP4 header");
    } finally {
      av_dict_free(muxerOptions);
    }
    headerWritten = true;
    avio_flush(format.pb());

    frame = av_frame_alloc();
    frame.format(AV_PIX_FMT_YUV420P);
    frame.width(width);
    frame.height(height);
    check(av_frame_get_buffer(frame, 0), "cannot allocate a video frame");
    packet = av_packet_alloc();
    scaler = sws_getContext(width, height, AV_PIX_FMT_RGB24, width, height, AV_PIX_FMT_YUV420P,
        SWS_BICUBIC | SWS_ACCURATE_RND, null, null, (DoublePointer) null);
    if (scaler == null || scaler.isNull()) {
      throw new IOException("cannot set up the RGB to YUV conversion for " + width + "x" + height);
    }
    rgb = new BytePointer((long) 3 * width * height);
    rgbBuffer = rgb.asBuffer();
    rgbPlanes = new PointerPointer<BytePointer>(1).put(0, rgb);
    rgbStride = new IntPointer(1).put(0, 3 * width);
  }

  /** Bits per second that keep a small generated video sharp: about 0.25 bits per pixel, at least 400 kbit/s. */
  static long bitRate(int width, int height, int fps) {
    return Math.max(400_000L, (long) (0.25 * width * height * fps));
  }

  /** The native buffer the next frame is read from: interleaved RGB8, {@code 3·width·height} bytes, row 0 first. */
  public ByteBuffer rgbInput() {
    ensureOpen();
    return rgbBuffer;
  }

  public Path file() {
    return file;
  }

  /** Frames written so far. */
  public long frames() {
    return frames;
  }

  /** Encodes the frame now in {@link #rgbInput()}. */
  public void writeFrame() throws IOException {
    ensureOpen();
    check(av_frame_make_writable(frame), "cannot reuse the video frame");
    sws_scale(scaler, rgbPlanes, rgbStride, 0, height, frame.data(), frame.linesize());
    frame.pts(frames);
    frame.pict_type(keyFrameNext ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE);
    keyFrameNext = false;
    check(avcodec_send_frame(encoder, frame), "cannot encode frame " + frames);
    drainPackets();
    frames++;
  }

  /** Writes the frames since the last fragment as one fragment and flushes it; the next frame is a key frame. */
  public void endFragment() throws IOException {
    ensureOpen();
    if (keyFrameNext) {
      return; // nothing since the last fragment
    }
    check(av_write_frame(format, null), "cannot write a fragment");
    avio_flush(format.pb());
    checkIo();
    keyFrameNext = true;
  }

  private void drainPackets() throws IOException {
    while (true) {
      int ret = avcodec_receive_packet(encoder, packet);
      if (ret == AVERROR_EAGAIN() || ret == AVERROR_EOF) {
        return;
      }
      check(ret, "the encoder failed");
      av_packet_rescale_ts(packet, encoder.time_base(), stream.time_base());
      packet.stream_index(stream.index());
      int written = av_write_frame(format, packet);
      av_packet_unref(packet);
      check(written, "cannot write to the video file");
    }
  }

  private void checkIo() throws IOException {
    int error = format.pb().error();
    if (error < 0) {
      check(error, "cannot write to the video file");
    }
  }

  /** Flushes the encoder, writes the last fragment and the index, and closes the file. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    try {
      if (headerWritten) {
        check(avcodec_send_frame(encoder, null), "cannot flush the encoder");
        drainPackets();
        check(av_write_trailer(format), "cannot finish the video file");
        avio_flush(format.pb());
        checkIo();
      }
    } finally {
      free();
    }
  }

  /** Frees native state without writing anything more: what is on the disk stays as it is. */
  public void abandon() {
    free();
  }

  private void free() {
    closed = true;
    if (format != null && !format.isNull() && format.pb() != null && !format.pb().isNull()) {
      avio_close(format.pb());
      format.pb(null);
    }
    if (encoder != null && !encoder.isNull()) {
      avcodec_free_context(encoder);
    }
    if (format != null && !format.isNull()) {
      avformat_free_context(format);
    }
    if (frame != null && !frame.isNull()) {
      av_frame_free(frame);
    }
    if (packet != null && !packet.isNull()) {
      av_packet_free(packet);
    }
    if (scaler != null && !scaler.isNull()) {
      sws_freeContext(scaler);
    }
    if (rgb != null) {
      rgb.close();
      rgbPlanes.close();
      rgbStride.close();
    }
    format = null;
    encoder = null;
    frame = null;
    packet = null;
    scaler = null;
    rgb = null;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the MP4 writer for " + file + " is closed; open a new one");
    }
  }

  private void check(int ret, String what) throws IOException {
    if (ret < 0) {
      byte[] text = new byte[256];
      av_strerror(ret, text, text.length);
      int n = 0;
      while (n < text.length && text[n] != 0) {
        n++;
      }
      throw new IOException(what + " (" + file + "): " + new String(text, 0, n, java.nio.charset.StandardCharsets.UTF_8));
    }
  }
}
