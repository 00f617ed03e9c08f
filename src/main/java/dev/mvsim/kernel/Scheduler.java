package dev.mvsim.kernel;

import java.util.PriorityQueue;
import java.util.function.LongConsumer;

/** Events a kernel has scheduled on its clock, run in time order and, at equal times, in scheduling order. */
final class Scheduler {

    static final class Task implements Comparable<Task> {
        final long due;
        final long sequence;
        final LongConsumer action;
        boolean cancelled;

        Task(long due, long sequence, LongConsumer action) {
            this.due = due;
            this.sequence = sequence;
            this.action = action;
        }

        void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Task other) {
            int byTime = Long.compare(due, other.due);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }

    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private long nextSequence;

    /** Schedules the action; it receives its due time, which is the timestamp its notifications carry. */
    Task schedule(long due, LongConsumer action) {
        Task task = new Task(due, nextSequence++, action);
        queue.add(task);
        return task;
    }

    /** Returns the due time of the earliest live task, or {@link Long#MAX_VALUE} when none is left. */
    long nextDue() {
        Task head = queue.peek();
        while (head != null && head.cancelled) {
            queue.poll();
            head = queue.peek();
        }
        return head == null ? Long.MAX_VALUE : head.due;
    }

    /** Runs every live task due at or before {@code now}, including tasks they schedule within that time. */
    void runDue(long now) {
        while (nextDue() <= now && !queue.isEmpty()) {
            Task task = queue.poll();
            task.action.accept(task.due);
        }
    }

    int pendingCount() {
        int count = 0;
        for (Task task : queue) {
            if (!task.cancelled) {
                count++;
            }
        }
        return count;
    }
}
