/**
 * Camera poses: the per-latent integration rule, the session's pose track, scripted trajectories and their
 * two upstream formats (pose strings and pose JSON). Uses OpenCV camera axes (+x right, +y down, +z forward);
 * "extrinsic" and camera-to-world mean the same thing here, as upstream. Depends on {@code action} for labels.
 */
package org.worldexplorer.runtime.camera;
