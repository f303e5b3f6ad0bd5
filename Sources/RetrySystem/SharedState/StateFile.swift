import RetryCore

/// A state file shared by concurrent runs. Every read-modify-write happens
/// under an exclusive `flock` on a lock file beside it (`PATH.lock`), which
/// is never renamed, so every process locks the same inode; the new state is
/// written to a temporary file in the same directory, fsynced, and renamed
/// over the old one. Files are created with mode 0600; a path that is a
/// symlink or not a regular file is refused and never written through.
/// Like OpenSSH's StrictModes, a state or lock file that another user could
/// have written (owned by someone other than the effective user or root,
/// or writable by group or others), or one in a directory anyone may
/// write that is not sticky, is refused: in /tmp another user could plant
/// a breaker that stays open for days.
struct StateFile {
    let path: String
    /// Times the wait for the lock.
    let clock: any MonotonicClock
    /// Pauses between tries of the lock.
    let sleep: (Duration) -> Void
    /// How long to wait for the lock before going on without the state: a
    /// read-modify-write takes microseconds, so a longer wait means a stuck
    /// holder, which must not block the command forever.
    var lockTimeout = Duration.seconds(10)
    /// Whether `retry` has been told to stop (a signal): the wait for the
    /// lock then ends at once.
    var stopRequested: () -> Bool = { false }

    var lockPath: String { path + ".lock" }
    private var directory: String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Checks the path before the command runs, creating the lock file
    /// unless asked not to (a dry run changes nothing).
    func validate(creatingLock: Bool = true) throws(SharedStateError) {
        try checkDirectory()
        try checkRegular(path, missingIsFine: true)
        if creatingLock {
            close(try openLock())
        } else {
            try checkRegular(lockPath, missingIsFine: true)
        }
    }

    /// The state and lock files that exist, opened, to tell two spellings
    /// of one file apart from two files: while a file is open its inode
    /// cannot be reused, so identities read from open descriptors at the
    /// same time compare truly. (Separate `stat` calls could see a state
    /// file replaced by a rename and its inode given to another.) The
    /// caller closes them.
    func openForIdentity() -> [Int32] {
        [path, lockPath].compactMap { try? Syscall.open($0, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC) }
    }

    /// Device and inode of an open file.
    static func identity(_ fd: Int32) -> [UInt64]? {
        var status = stat()
        guard fstat(fd, &status) == 0 else { return nil }
        return [UInt64(status.st_dev), UInt64(status.st_ino)]
    }

    /// Reads the state (nil when there is none), lets `body` change it and
    /// writes it back, all under the lock. A corrupt file is reported
    /// through `warn` and read as nil, so it is replaced by a fresh state.
    func update<Record: StateRecord, Result>(_ type: Record.Type, warn: (String) -> Void,
                                             _ body: (inout Record?) -> Result) throws(SharedStateError) -> Result {
        let lock = try openLock()
        defer { close(lock) }
        try acquire(lock)
        var record: Record? = try read(type, warn: warn)
        let result = body(&record)
        if let record { try write(record.encoded()) }
        return result
    }

    /// Reads the state without locking or changing anything (`--dry-run`);
    /// renames make every read see a whole file.
    func read<Record: StateRecord>(_ type: Record.Type, warn: (String) -> Void) throws(SharedStateError) -> Record? {
        try checkRegular(path, missingIsFine: true)
        guard let fd = try openForReading() else { return nil }
        defer { close(fd) }
        guard let text = Syscall.readAll(fd, limit: 65_536) else {
            warn("\(path): cannot read the state (too large or unreadable); starting afresh")
            return nil
        }
        do {
            return try Record.decode(text)
        } catch {
            warn("\(path): the state is corrupt (\(error.reason)); starting afresh")
            return nil
        }
    }

    /// Opens the state file to read it; nil when there is none. What is
    /// not a regular file is refused, and a FIFO put in its place since the
    /// check does not block the open (under the lock, for ever).
    func openForReading() throws(SharedStateError) -> Int32? {
        let fd: Int32
        do {
            fd = try Syscall.open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        } catch where error == .noSuchFile {
            return nil
        } catch {
            throw .refused("\(path): cannot read it: \(error)")
        }
        var status = stat()
        guard fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            throw .refused("\(path) is not a regular file")
        }
        do {
            try Self.checkTrusted(status, path)
        } catch {
            close(fd)
            throw error
        }
        return fd
    }

    /// Refuses a file another user could have written: see the type's summary.
    static func checkTrusted(_ status: stat, _ path: String) throws(SharedStateError) {
        let owner = status.st_uid
        if owner != geteuid() && owner != 0 {
            throw .refused("\(path) belongs to \(userName(owner)), not to you or root, so another user may have written it; remove it, or keep the state in a directory only you can write")
        }
        if status.st_mode & (S_IWGRP | S_IWOTH) != 0 {
            let mode = String(status.st_mode & 0o7777, radix: 8)
            throw .refused("\(path) can be written by other users (mode \(mode)); run chmod go-w on it, or remove it")
        }
    }

    /// `name (uid N)`, or `uid N` for an account without a name.
    private static func userName(_ uid: uid_t) -> String {
        guard let entry = getpwuid(uid), let name = entry.pointee.pw_name else { return "uid \(uid)" }
        return "\(String(cString: name)) (uid \(uid))"
    }

    /// Refuses a directory anyone may write that is not sticky (/tmp is):
    /// another user could rename a file of their own over the state.
    private func checkDirectory() throws(SharedStateError) {
        guard let status = try? Syscall.fileStatus(directory) else { return }
        if status.st_mode & S_IWOTH != 0 && status.st_mode & S_ISVTX == 0 {
            throw .refused("\(directory) can be written by anyone and is not sticky, so another user could replace \(path); keep the state in a directory only you can write")
        }
    }

    private func checkRegular(_ path: String, missingIsFine: Bool) throws(SharedStateError) {
        let status: stat
        do {
            status = try Syscall.linkStatus(path)
        } catch where error == .noSuchFile && missingIsFine {
            return
        } catch {
            throw .refused("\(path): \(error)")
        }
        switch status.st_mode & S_IFMT {
        case S_IFREG: try Self.checkTrusted(status, path)
        case S_IFLNK: throw .refused("\(path) is a symbolic link; name the file itself")
        default: throw .refused("\(path) is not a regular file")
        }
    }

    private func openLock() throws(SharedStateError) -> Int32 {
        let fd: Int32
        var status = stat()
        do throws(Errno) {
            fd = try Syscall.open(lockPath, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, mode: 0o600)
            if fstat(fd, &status) != 0 || status.st_mode & S_IFMT != S_IFREG {
                close(fd)
                throw Errno(EINVAL)
            }
        } catch where error == Errno(ELOOP) || error == Errno(EINVAL) {
            throw .refused("\(lockPath) is a symbolic link or not a regular file")
        } catch {
            throw .refused("\(lockPath): cannot create the lock file: \(error)")
        }
        do {
            try Self.checkTrusted(status, lockPath)
        } catch {
            close(fd)
            throw error
        }
        return fd
    }

    private func acquire(_ lock: Int32) throws(SharedStateError) {
        let giveUp = clock.now() + lockTimeout
        while true {
            do {
                _ = try Syscall.retryingOnInterrupt { flock(lock, LOCK_EX | LOCK_NB) }
                return
            } catch where error == Errno(EWOULDBLOCK) && stopRequested() {
                throw .unavailable("\(path): stopped waiting for the lock: retry was told to stop")
            } catch where error == Errno(EWOULDBLOCK) && clock.now() < giveUp {
                sleep(.milliseconds(2))
            } catch where error == Errno(EWOULDBLOCK) {
                throw .unavailable("\(path): the lock stayed busy for \(DurationText.format(lockTimeout)); going on without it")
            } catch {
                throw .unavailable("\(path): cannot lock \(lockPath): \(error); going on without it")
            }
        }
    }

    /// Removes the temporary files (`.NAME.tmp-PID`) of writers that died
    /// before their rename (SIGKILL); called under the lock, so no live
    /// writer of this state is between its write and its rename.
    private func removeLeftovers(of name: String) {
        guard let listing = opendir(directory) else { return }
        defer { closedir(listing) }
        let prefix = "." + name + ".tmp-"
        while let entry = readdir(listing) {
            let entryName = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard entryName.hasPrefix(prefix), let pid = Int32(entryName.dropFirst(prefix.count)), pid != getpid() else { continue }
            if kill(pid, 0) == -1 && errno == ESRCH { unlink(directory + "/" + entryName) }
        }
    }

    private func write(_ text: String) throws(SharedStateError) {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let temporary = directory + "/." + name + ".tmp-\(getpid())"
        // Under the lock nobody else writes this name; one left by a crashed
        // process whose pid we now have would make O_EXCL fail forever.
        unlink(temporary)
        removeLeftovers(of: name)
        do throws(Errno) {
            let fd = try Syscall.open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode: 0o600)
            defer { close(fd) }
            _ = fchmod(fd, 0o600)
            try Syscall.writeFully(text, to: fd)
            _ = try Syscall.retryingOnInterrupt { fsync(fd) }
        } catch {
            unlink(temporary)
            throw .unavailable("\(path): cannot write the state: \(error)")
        }
        guard rename(temporary, path) == 0 else {
            let error = Errno(errno)
            unlink(temporary)
            throw .unavailable("\(path): cannot replace the state: \(error)")
        }
        // Make the rename itself durable.
        if let fd = try? Syscall.open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC) {
            _ = fsync(fd)
            close(fd)
        }
    }
}
