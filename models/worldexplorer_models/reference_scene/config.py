"""Fixed sizes and tuning constants of reference-scene. The manifest is written from these."""

VIDEO_WIDTH = 320
VIDEO_HEIGHT = 192
FPS = 24
PATCH = 16                        # spatial compression
LATENT_WIDTH = VIDEO_WIDTH // PATCH
LATENT_HEIGHT = VIDEO_HEIGHT // PATCH
LATENTS_PER_CHUNK = 4
VIEW_CHANNELS = 3 * PATCH * PATCH  # one RGB view, space-to-depth
CHANNELS = 2 * VIEW_CHANNELS       # base view, then styled view
FRAMES_PER_LATENT = 4
CACHE_SIZE = 3 * VIDEO_HEIGHT * VIDEO_WIDTH  # the previous latent's styled image

STEPS = 4
SHIFT = 5.0
CONTEXT_TIMESTEP = 14.0

# Square pixels at 320x192: 90 degrees across, 62 degrees up and down.
CAMERA_FX = 0.5
CAMERA_FY = 0.5 * VIDEO_WIDTH / VIDEO_HEIGHT

# Scene proxy, in the start camera's frame (+y down): a ground plane below the camera and a wall of this radius
# around the viewer, so content above the horizon has a finite distance and forward motion enlarges it.
GROUND_HEIGHT = 1.0
WALL_RADIUS = 8.0

FEATHER_PIXELS = 6.0     # a source fades out over this many pixels at its border
SCORE_STRIDE = 4         # source selection looks at every 4th pixel
SELECTED_CONTEXT = 2     # context views warped per target latent, besides the start image
RECENCY_SHARPNESS = 1.5  # blend weight ratio e^1.5 per step of temporal position, older first
START_IMAGE_RANK = 24.0  # above every temporal position (at most 23): ages count down from it
FILL_TEXTURE_AMPLITUDE = 0.03

MAX_TOKENS = 32
MAX_PROMPT_CHARS = 2000
