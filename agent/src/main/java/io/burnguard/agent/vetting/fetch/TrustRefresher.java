package io.burnguard.agent.vetting.fetch;

import io.burnguard.agent.db.DatabaseException;
import io.burnguard.agent.vetting.ReleaseRejectedException;
import io.burnguard.agent.vetting.TrustDocuments;
import io.burnguard.agent.vetting.TrustLoader;
import io.burnguard.agent.vetting.TrustMaterialException;
import io.burnguard.agent.vetting.VersionStore;
import io.burnguard.agent.vetting.WithdrawalList;
import io.burnguard.agent.vetting.server.DesignatedServerClient;
import java.io.IOException;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the station's CRLs ({@code trust.serverCrls}, stored in {@code crlDir}) and withdrawal list
 * (stored in the database) fresh on its own (issue 12, findings 1 and 2).
 *
 * <p>Threat: a station that only learns of revocations and recalls when an engineer happens to
 * fetch keeps burning a revoked signer's or a recalled release until its stored copies expire
 * (days). Every {@code trust.refreshInterval} one {@link RefreshPass} fetches, verifies and stores
 * them, so a revocation or recall published on the server stops burns within one interval.
 *
 * <p>Threads: a timer asks for a pass every interval; passes run one at a time on a worker thread,
 * and a pass asked for while one is queued or running joins it (a stalled server cannot pile up
 * passes). A burn that finds its stored material expired asks for a pass and waits at most its
 * network budget ({@link #refreshWithin}); the pass itself is bounded by the server client's
 * per-request deadline.
 *
 * <p>Alerts: when a refresh fails and what is stored expires within {@link
 * TrustStatus#warningWindow()} a warning is raised, and a critical alert when something is missing
 * or expired (burns are then refused); each once per episode, re-armed by a healthy pass.
 */
public final class TrustRefresher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TrustRefresher.class);

  /** Opens a client for the designated server (settings may be invalid: any exception). */
  @FunctionalInterface
  public interface Server {
    DesignatedServerClient open() throws Exception;
  }

  /** Where the refresher's alerts go (the daemon's alert store). */
  @FunctionalInterface
  public interface Alerts {
    void raise(boolean critical, String kind, String message);
  }

  /**
   * What a refresher reads from station.yaml; swapped whole by {@link #reconfigure} when a config
   * reload puts a new generation in force, so a pass always runs with one generation's settings.
   *
   * @param crlDir where the CRLs are stored ({@code trust.crlDir})
   * @param crlNames file names under {@code <base>/crl/} ({@code trust.serverCrls})
   * @param interval {@code trust.refreshInterval}
   * @param server the designated server ({@code server.*})
   */
  public record Settings(
      TrustLoader trust,
      java.nio.file.Path crlDir,
      List<String> crlNames,
      Duration interval,
      Server server) {
    public Settings {
      Objects.requireNonNull(trust, "trust");
      Objects.requireNonNull(crlDir, "crlDir");
      crlNames = List.copyOf(crlNames);
      Objects.requireNonNull(interval, "interval");
      Objects.requireNonNull(server, "server");
    }
  }

  /** The settings in force and the CRL store of their {@code crlDir}. */
  private record InForce(Settings settings, CrlStore store) {
    static InForce of(Settings s) {
      return new InForce(s, new CrlStore(s.crlDir()));
    }
  }

  private final VersionStore versions;
  private final ReleaseCatalog catalog;
  private final Alerts alerts;
  private final Clock clock;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(named("burnguard-trust-timer"));
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(named("burnguard-trust-refresh"));
  private final Object lock = new Object();
  private volatile InForce inForce;
  private ScheduledFuture<?> ticks; // guarded by lock; null before start and after close
  private boolean closed; // guarded by lock
  private CompletableFuture<TrustStatus> pending;
  private volatile TrustStatus status;
  private Instant lastAttempt;
  private Instant lastSuccess;
  private TrustStatus.Health alerted = TrustStatus.Health.OK;

  /** A refresher; nothing runs before {@link #start()}. */
  public TrustRefresher(
      Settings settings,
      VersionStore versions,
      ReleaseCatalog catalog,
      Alerts alerts,
      Clock clock) {
    this.inForce = InForce.of(Objects.requireNonNull(settings, "settings"));
    this.versions = Objects.requireNonNull(versions, "versions");
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.alerts = Objects.requireNonNull(alerts, "alerts");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.status = describe(inForce, Optional.empty(), clock.instant());
  }

  /** Runs the first pass now and then one every interval. */
  public void start() {
    synchronized (lock) {
      ticks = schedule(0, inForce.settings().interval());
    }
  }

  private ScheduledFuture<?> schedule(long firstMillis, Duration every) {
    return timer.scheduleAtFixedRate(
        this::requestPass, firstMillis, every.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Puts the settings of a reloaded station.yaml in force: the next pass uses them (a pass running
   * now ends with the ones it started with). A changed interval restarts the timer; when {@code
   * passNow} (the server or trust settings changed), a pass is asked for at once, so the new server
   * and CRL names are used without waiting an interval.
   */
  public void reconfigure(Settings next, boolean passNow) {
    InForce was;
    synchronized (lock) {
      was = inForce;
      inForce = InForce.of(Objects.requireNonNull(next, "next"));
      boolean newInterval = !was.settings().interval().equals(next.interval());
      if (ticks != null && newInterval) {
        ticks.cancel(false);
        ticks = schedule(next.interval().toMillis(), next.interval());
      }
    }
    log.info(
        "trust refresh settings reloaded: every {}, CRLs {} into {}",
        next.interval(),
        next.crlNames(),
        next.crlDir());
    if (passNow) {
      requestPass();
    }
  }

  /** The settings in force now. */
  public Settings settings() {
    return inForce.settings();
  }

  /** The state now, for {@code doctor}. */
  public TrustStatus status() {
    return status;
  }

  /**
   * Asks for a pass (or joins the one queued or running) and waits at most {@code wait} for it.
   *
   * @throws TimeoutException the pass did not end within {@code wait}; it goes on in the background
   */
  public TrustStatus refreshWithin(Duration wait) throws TimeoutException, InterruptedException {
    try {
      return requestPass().get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the trust refresh failed unexpectedly", e.getCause());
    }
  }

  private CompletableFuture<TrustStatus> requestPass() {
    synchronized (lock) {
      if (closed) {
        return CompletableFuture.completedFuture(status); // a reload racing the daemon's stop
      }
      if (pending == null) {
        CompletableFuture<TrustStatus> f = new CompletableFuture<>();
        pending = f;
        worker.execute(() -> complete(f));
      }
      return pending;
    }
  }

  private void complete(CompletableFuture<TrustStatus> f) {
    try {
      TrustStatus s = pass();
      synchronized (lock) {
        pending = null;
      }
      f.complete(s);
    } catch (RuntimeException | Error e) {
      synchronized (lock) {
        pending = null;
      }
      log.error("the trust refresh failed unexpectedly", e);
      f.completeExceptionally(e);
    }
  }

  /** One pass, with the settings in force when it starts: fetch, verify, store, then status. */
  private TrustStatus pass() {
    InForce f = inForce;
    Settings cfg = f.settings();
    Instant at = clock.instant();
    Optional<TrustStatus.Failure> failure =
        new RefreshPass(cfg.trust(), versions, catalog, f.store(), cfg.crlNames(), clock)
            .run(cfg.server());
    lastAttempt = at;
    if (failure.isEmpty()) {
      lastSuccess = at;
    } else {
      log.warn("trust refresh failed: {}", failure.get().message());
    }
    TrustStatus s = describe(f, failure, at.plus(cfg.interval()));
    status = s;
    alertIfNeeded(s);
    return s;
  }

  private void alertIfNeeded(TrustStatus s) {
    TrustStatus.Health h = s.health(clock.instant());
    if (h == TrustStatus.Health.OK || h == TrustStatus.Health.REFRESH_FAILING) {
      alerted = TrustStatus.Health.OK;
      return;
    }
    if (h.compareTo(alerted) <= 0) {
      return;
    }
    alerted = h;
    String why = s.lastError().map(f -> "; last refresh: " + f.message()).orElse("");
    if (h == TrustStatus.Health.EXPIRED) {
      alerts.raise(
          true,
          "trust-expired",
          "a CRL or the withdrawal list is missing or expired, so every burn is refused"
              + why
              + "; check that the station reaches the designated server and that it publishes"
              + " current crl/ files and withdrawals.json");
    } else {
      alerts.raise(
          false,
          "trust-refresh-failing",
          "the trust refresh keeps failing and the stored CRLs or withdrawal list expire at "
              + s.expires().map(Instant::toString).orElse("?")
              + why
              + "; burns stop then unless the designated server can be reached");
    }
  }

  private TrustStatus describe(InForce f, Optional<TrustStatus.Failure> failure, Instant next) {
    Optional<Instant> issued = Optional.empty();
    Optional<Instant> nextUpdate = Optional.empty();
    List<X509CRL> crls = storedCrls(f);
    if (!crls.isEmpty()) {
      Instant i = null;
      Instant n = null;
      for (X509CRL c : crls) {
        Instant t = c.getThisUpdate().toInstant();
        Instant u = c.getNextUpdate() == null ? t : c.getNextUpdate().toInstant();
        i = i == null || t.isBefore(i) ? t : i;
        n = n == null || u.isBefore(n) ? u : n;
      }
      issued = Optional.of(i);
      nextUpdate = Optional.of(n);
    }
    Optional<WithdrawalList> w = storedWithdrawals();
    return new TrustStatus(
        f.settings().interval(),
        Optional.ofNullable(lastAttempt),
        Optional.ofNullable(lastSuccess),
        failure,
        next,
        issued,
        nextUpdate,
        w.map(l -> OptionalLong.of(l.sequence())).orElse(OptionalLong.empty()),
        w.map(WithdrawalList::expires));
  }

  /** The stored server CRLs; empty when one is missing (or, without serverCrls, crlDir's). */
  private List<X509CRL> storedCrls(InForce f) {
    List<X509CRL> out = new ArrayList<>();
    try {
      if (f.settings().crlNames().isEmpty()) {
        return f.settings().trust().load(clock).crls();
      }
      for (String n : f.settings().crlNames()) {
        Optional<X509CRL> c = f.store().stored(n);
        if (c.isEmpty()) {
          return List.of();
        }
        out.add(c.get());
      }
    } catch (IOException | TrustMaterialException e) {
      return List.of();
    }
    return out;
  }

  private Optional<WithdrawalList> storedWithdrawals() {
    try {
      Optional<byte[][]> s = catalog.latestWithdrawals();
      return s.isEmpty()
          ? Optional.empty()
          : Optional.of(TrustDocuments.storedWithdrawals("withdrawals.json (stored)", s.get()[0]));
    } catch (DatabaseException | ReleaseRejectedException e) {
      return Optional.empty();
    }
  }

  private static ThreadFactory named(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** Stops the timer and the worker; a pass in flight is interrupted. */
  @Override
  public void close() {
    synchronized (lock) {
      ticks = null;
      closed = true;
    }
    timer.shutdownNow();
    worker.shutdownNow();
    try {
      worker.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
