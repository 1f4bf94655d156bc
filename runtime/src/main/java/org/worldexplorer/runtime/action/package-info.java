/**
 * Player actions as the model sees them: intents from the input side, the per-latent {@link
 * org.worldexplorer.runtime.action.DualAction} (discrete label plus camera delta), the step sizes and clamps,
 * the sampler that cuts an input window into one action per latent, and the discrete labeller. Knows no key
 * codes and no input library; depends on nothing else in the runtime.
 */
package org.worldexplorer.runtime.action;
