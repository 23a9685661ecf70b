#include "CSQLitePageCache.h"
#include <sqlite3.h>

/* SQLite's lock page offset (PENDING_BYTE): the page balance_nonroot uses as its temporary page number. */
#define FP_PENDING_BYTE 0x40000000u

typedef struct FPPageCache {
    sqlite3_pcache *inner;
    /* The page number balance_nonroot parks pages at while it swaps page numbers. */
    unsigned parkingKey;
    /* No page keyed above this is in the cache, except pages at parkingKey (counted in `parked`). */
    unsigned maxKey;
    /* Pages currently at parkingKey through a rekey. */
    int parked;
} FPPageCache;

static sqlite3_pcache_methods2 fpDefault;
static int fpInstalled = 0;
static _Atomic unsigned long long fpPassedOn = 0;
static _Atomic unsigned long long fpSkipped = 0;

static int fpInit(void *arg) {
    (void)arg;
    return fpDefault.xInit ? fpDefault.xInit(fpDefault.pArg) : SQLITE_OK;
}

static void fpShutdown(void *arg) {
    (void)arg;
    if (fpDefault.xShutdown) fpDefault.xShutdown(fpDefault.pArg);
}

static sqlite3_pcache *fpCreate(int szPage, int szExtra, int bPurgeable) {
    FPPageCache *cache = sqlite3_malloc(sizeof(FPPageCache));
    if (!cache) return 0;
    cache->inner = fpDefault.xCreate(szPage, szExtra, bPurgeable);
    if (!cache->inner) {
        sqlite3_free(cache);
        return 0;
    }
    cache->parkingKey = szPage > 0 ? FP_PENDING_BYTE / (unsigned)szPage + 1 : 0;
    cache->maxKey = 0;
    cache->parked = 0;
    return (sqlite3_pcache *)cache;
}

static void fpCachesize(sqlite3_pcache *p, int nCachesize) {
    fpDefault.xCachesize(((FPPageCache *)p)->inner, nCachesize);
}

static int fpPagecount(sqlite3_pcache *p) {
    return fpDefault.xPagecount(((FPPageCache *)p)->inner);
}

static sqlite3_pcache_page *fpFetch(sqlite3_pcache *p, unsigned key, int createFlag) {
    FPPageCache *cache = (FPPageCache *)p;
    sqlite3_pcache_page *page = fpDefault.xFetch(cache->inner, key, createFlag);
    /* Any key that comes back from a fetch counts, the parking key too (only a corrupt file is read there). */
    if (page && key > cache->maxKey) cache->maxKey = key;
    return page;
}

static void fpUnpin(sqlite3_pcache *p, sqlite3_pcache_page *page, int discard) {
    fpDefault.xUnpin(((FPPageCache *)p)->inner, page, discard);
}

static void fpRekey(sqlite3_pcache *p, sqlite3_pcache_page *page, unsigned oldKey, unsigned newKey) {
    FPPageCache *cache = (FPPageCache *)p;
    fpDefault.xRekey(cache->inner, page, oldKey, newKey);
    if (oldKey == cache->parkingKey && cache->parked > 0) cache->parked -= 1;
    if (newKey == cache->parkingKey) {
        cache->parked += 1;
    } else if (newKey > cache->maxKey) {
        cache->maxKey = newKey;
    }
}

static void fpTruncate(sqlite3_pcache *p, unsigned iLimit) {
    FPPageCache *cache = (FPPageCache *)p;
    int parkedAtOrAbove = cache->parked > 0 && cache->parkingKey >= iLimit;
    /* Nothing keyed at or above the limit: the default cache would find nothing to drop, after a full scan. */
    if (!parkedAtOrAbove && cache->maxKey < iLimit) {
        fpSkipped++;
        return;
    }
    fpPassedOn++;
    fpDefault.xTruncate(cache->inner, iLimit);
    if (iLimit == 0) {
        cache->maxKey = 0;
    } else if (cache->maxKey >= iLimit) {
        cache->maxKey = iLimit - 1;
    }
    if (cache->parkingKey >= iLimit) cache->parked = 0;
}

static void fpDestroy(sqlite3_pcache *p) {
    FPPageCache *cache = (FPPageCache *)p;
    fpDefault.xDestroy(cache->inner);
    sqlite3_free(cache);
}

static void fpShrink(sqlite3_pcache *p) {
    fpDefault.xShrink(((FPPageCache *)p)->inner);
}

static sqlite3_pcache_methods2 fpMethods = {
    1, 0, fpInit, fpShutdown, fpCreate, fpCachesize, fpPagecount, fpFetch, fpUnpin, fpRekey, fpTruncate, fpDestroy, fpShrink,
};

int fp_sqlite_install_page_cache(void) {
    if (fpInstalled) return SQLITE_OK;
    sqlite3_pcache_methods2 current;
    int rc = sqlite3_config(SQLITE_CONFIG_GETPCACHE2, &current);
    if (rc != SQLITE_OK) return rc;
    if (current.xFetch == fpFetch) {
        fpInstalled = 1;
        return SQLITE_OK;
    }
    fpDefault = current;
    rc = sqlite3_config(SQLITE_CONFIG_PCACHE2, &fpMethods);
    if (rc == SQLITE_OK) fpInstalled = 1;
    return rc;
}

int fp_sqlite_page_cache_installed(void) {
    return fpInstalled;
}

void fp_sqlite_page_cache_truncations(unsigned long long *passedOn, unsigned long long *skipped) {
    *passedOn = fpPassedOn;
    *skipped = fpSkipped;
}
