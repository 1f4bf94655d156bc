/**
 * Host-side sampling inputs of the DiT chunk graph: the flow-matching sigma schedule and the seeded,
 * counter-based noise that Java and the Python golden writers produce bit for bit alike.
 */
package org.worldexplorer.runtime.sampling;
