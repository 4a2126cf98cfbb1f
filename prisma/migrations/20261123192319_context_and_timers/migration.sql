-- CreateTable
CREATE TABLE "ContextValue" (
    "scope" TEXT NOT NULL,
    "scopeId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("scope", "scopeId", "key")
);

-- CreateTable
CREATE TABLE "PendingTimer" (
    "nodeId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "dueAt" DATETIME NOT NULL,
    "data" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("nodeId", "key")
);

-- CreateIndex
CREATE INDEX "PendingTimer_dueAt_idx" ON "PendingTimer"("dueAt");
