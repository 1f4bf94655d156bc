"""Progress lines with elapsed time and the process's peak resident memory, for long exports."""

import resource
import sys
import time


def peak_memory_gib():
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1024 * 1024)


class Progress:
    def __init__(self, task, total, log=None, every=0.1):
        self.task, self.total, self.done = task, total, 0
        self.log = log or (lambda line: print(line, file=sys.stderr, flush=True))
        self.every = max(1, int(total * every))
        self.start = time.monotonic()

    def step(self, count=1):
        self.done += count
        if self.done % self.every == 0 or self.done == self.total:
            self.log(f"{self.task}: {self.done}/{self.total}, {time.monotonic() - self.start:.1f} s, "
                     f"peak memory {peak_memory_gib():.2f} GiB")
