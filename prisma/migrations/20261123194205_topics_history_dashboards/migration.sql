-- CreateTable
CREATE TABLE "Topic" (
    "brokerId" TEXT NOT NULL DEFAULT '',
    "topic" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "unit" TEXT NOT NULL DEFAULT '',
    "firstSeen" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeen" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "messages" INTEGER NOT NULL DEFAULT 0,
    "lastPayload" TEXT NOT NULL DEFAULT '',
    "retained" BOOLEAN NOT NULL DEFAULT false,

    PRIMARY KEY ("brokerId", "topic")
);

-- CreateTable
CREATE TABLE "MetricSample" (
    "brokerId" TEXT NOT NULL DEFAULT '',
    "topic" TEXT NOT NULL,
    "path" TEXT NOT NULL DEFAULT '',
    "bucket" DATETIME NOT NULL,
    "count" INTEGER NOT NULL,
    "min" REAL NOT NULL,
    "max" REAL NOT NULL,
    "sum" REAL NOT NULL,
    "last" REAL NOT NULL,

    PRIMARY KEY ("brokerId", "topic", "path", "bucket")
);

-- CreateTable
CREATE TABLE "Dashboard" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,
    "widgets" TEXT NOT NULL DEFAULT '[]',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "Topic_lastSeen_idx" ON "Topic"("lastSeen");

-- CreateIndex
CREATE INDEX "MetricSample_bucket_idx" ON "MetricSample"("bucket");
