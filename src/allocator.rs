//! The process's allocator: jemalloc, with options that suit a small
//! machine. Used by the `tricorder` binary and, through `#[path]`, by the
//! benchmarks, so that what they time is what the binary runs (glibc's
//! malloc made the in-process trends benchmark a tenth slower).

/// jemalloc rather than glibc's malloc: a poll allocates and frees many
/// short strings on several threads at once, and glibc's malloc and free
/// were about a seventh of a first poll's CPU (measured with `perf`; the
/// first poll of 2,000 feeds took 12.2 s with glibc and 10.6 s with jemalloc).
/// (SQLite's own allocations still use the C library's malloc.)
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's start-up options (the `_RJEM_MALLOC_CONF` environment variable
/// still overrides them). Its defaults favour many-core servers: four arenas
/// per core, each keeping freed pages for 10 s. Two arenas and a 1 s decay
/// held the peak of a first poll at 114 MB instead of 160-180 MB, at no
/// measurable cost in time.
#[repr(transparent)]
struct MallocConf(*const std::ffi::c_char);
// SAFETY: a pointer to a static, immutable C string.
unsafe impl Sync for MallocConf {}
#[used]
#[unsafe(export_name = "_rjem_malloc_conf")]
static MALLOC_CONF: MallocConf =
    MallocConf(c"narenas:2,dirty_decay_ms:1000,muzzy_decay_ms:0".as_ptr());
