"""Job files on disk: queue/job-N, queue/archive/<N // 10000>/job-N and the id serial.

Ids are handed out in blocks: the serial file records the end of the current block, so
one durable write serves many submissions; after a crash the unused rest of a block is
skipped, never reused.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from pyganeti import errors, serializer
from pyganeti.config.durable import atomic_write, fsync_dir
from pyganeti.jobs.model import Job
from pyganeti.paths import Paths

log = logging.getLogger(__name__)

ID_BLOCK = 64
ARCHIVE_BUCKET = 10000


class JobStore:
    def __init__(self, paths: Paths) -> None:
        self.paths = paths
        self.dir = paths.queue_dir
        self.archive_dir = paths.queue_archive_dir
        self.dir.mkdir(parents=True, exist_ok=True)
        self.archive_dir.mkdir(parents=True, exist_ok=True)
        self._next = self._read_serial() + 1
        self._reserved_to = self._next - 1

    def _read_serial(self) -> int:
        try:
            return int(self.paths.queue_serial_file.read_text().strip() or 0)
        except FileNotFoundError:
            return 0
        except ValueError:
            raise errors.JobQueueError(
                f"Corrupt job serial file {self.paths.queue_serial_file}"
            ) from None

    def allocate_ids(self, count: int) -> list[int]:
        if self._next + count - 1 > self._reserved_to:
            self._reserved_to = self._next + count - 1 + ID_BLOCK
            atomic_write(
                self.paths.queue_serial_file, f"{self._reserved_to}\n".encode(), mode=0o600
            )
        ids = list(range(self._next, self._next + count))
        self._next += count
        return ids

    def job_path(self, job_id: int) -> Path:
        return self.dir / f"job-{job_id}"

    def archived_path(self, job_id: int) -> Path:
        return self.archive_dir / str(job_id // ARCHIVE_BUCKET) / f"job-{job_id}"

    def write(self, job: Job, durable: bool = True, sync_dir: bool = True) -> None:
        data = serializer.dumps(job.serialize())
        path = self.job_path(job.id)
        if durable and not sync_dir:
            # Batched submissions: the caller fsyncs the directory once for all files.
            atomic_write(path, data, mode=0o600, durable=False)
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        else:
            atomic_write(path, data, mode=0o600, durable=durable)

    def sync_dir(self) -> None:
        fsync_dir(self.dir)

    def load_all(self) -> list[Job]:
        jobs: list[Job] = []
        for path in self.dir.glob("job-*"):
            try:
                job_id = int(path.name[4:])
            except ValueError:
                continue
            try:
                jobs.append(Job.restore(json.loads(path.read_bytes())))
            except (ValueError, KeyError, TypeError) as err:
                # Keep the file for inspection; one bad file must not stop the queue.
                log.error("Job file %s is corrupt (%s); renaming it aside", path, err)
                path.rename(path.with_name(f"{path.name}.corrupt"))
                continue
            self._next = max(self._next, job_id + 1)
            self._reserved_to = max(self._reserved_to, job_id)
        jobs.sort(key=lambda j: j.id)
        return jobs

    def archive(self, job: Job) -> None:
        target = self.archived_path(job.id)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(self.job_path(job.id), target)
        job.archived = True

    def load_archived(self, job_id: int) -> Job | None:
        try:
            raw = self.archived_path(job_id).read_bytes()
        except FileNotFoundError:
            return None
        return Job.restore(json.loads(raw), archived=True)

    def archived_ids(self) -> list[int]:
        ids = []
        for path in self.archive_dir.glob("*/job-*"):
            try:
                ids.append(int(path.name[4:]))
            except ValueError:
                continue
        return sorted(ids)
