/**
 * The path between a device kernel and the cloud: the {@link dev.mvsim.link.ItemDirectory}
 * contract the cloud implements, and the {@link dev.mvsim.link.Link} that adds the latency and
 * faults of a {@link dev.mvsim.link.FaultPlan}, built in code or read by
 * {@link dev.mvsim.link.FaultPlanFiles}.
 */
package dev.mvsim.link;
