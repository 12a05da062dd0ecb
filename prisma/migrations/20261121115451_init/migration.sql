-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "RegionLevel" AS ENUM ('PROVINCE', 'CITY', 'COUNTY');

-- CreateEnum
CREATE TYPE "UnitCategory" AS ENUM ('FLAMMABLE', 'CROWDED', 'ELECTRONIC', 'CULTURAL', 'MINE_SCENIC', 'TALL', 'OTHER');

-- CreateEnum
CREATE TYPE "RiskColor" AS ENUM ('GREEN', 'YELLOW', 'RED');

-- CreateEnum
CREATE TYPE "CreditGrade" AS ENUM ('A', 'B', 'C', 'D');

-- CreateEnum
CREATE TYPE "AgencyLevel" AS ENUM ('A', 'B');

-- CreateEnum
CREATE TYPE "PersonRole" AS ENUM ('UNIT_MANAGER', 'LEGAL_REP', 'REGULATOR', 'LEADER', 'AGENCY_STAFF', 'ADMIN');

-- CreateEnum
CREATE TYPE "HazardSource" AS ENUM ('TEST', 'INSPECTION', 'SELF_CHECK', 'COMPLAINT', 'SYSTEM');

-- CreateEnum
CREATE TYPE "HazardType" AS ENUM ('EARTH_R', 'BONDING', 'SPD_FAIL', 'AIR_TERM', 'DOWN_COND', 'OVERDUE', 'NO_PERMIT', 'UNQUALIFIED_AGENCY', 'NO_SYSTEM', 'NO_PLAN', 'ARCHIVE', 'OTHER');

-- CreateEnum
CREATE TYPE "HazardGrade" AS ENUM ('GENERAL', 'MAJOR');

-- CreateEnum
CREATE TYPE "HazardStatus" AS ENUM ('PENDING', 'FIXING', 'SUBMITTED', 'CLOSED', 'OVERDUE', 'ESCALATED');

-- CreateEnum
CREATE TYPE "RectificationDecision" AS ENUM ('APPROVED', 'REJECTED');

-- CreateEnum
CREATE TYPE "ExtensionStatus" AS ENUM ('PENDING', 'APPROVED', 'REJECTED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "ApprovalStatus" AS ENUM ('IN_PROGRESS', 'APPROVED', 'REJECTED', 'RETURNED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "ApprovalMode" AS ENUM ('ANY', 'ALL');

-- CreateEnum
CREATE TYPE "ApprovalStepStatus" AS ENUM ('WAITING', 'ACTIVE', 'APPROVED', 'REJECTED', 'RETURNED', 'SKIPPED');

-- CreateEnum
CREATE TYPE "ApprovalDecisionKind" AS ENUM ('APPROVE', 'REJECT', 'RETURN');

-- CreateEnum
CREATE TYPE "PermitKind" AS ENUM ('DESIGN_REVIEW', 'COMPLETION_ACCEPTANCE');

-- CreateEnum
CREATE TYPE "PermitStatus" AS ENUM ('SUBMITTED', 'CORRECTION', 'ACCEPTED', 'TECH_REVIEW', 'APPROVED', 'REJECTED', 'WITHDRAWN');

-- CreateEnum
CREATE TYPE "InspectionMode" AS ENUM ('RANDOM', 'FOCUS', 'SPECIAL', 'CODE', 'REVIEW');

-- CreateEnum
CREATE TYPE "InspectionStatus" AS ENUM ('IN_PROGRESS', 'SUBMITTED', 'REVIEWED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "InspectionResult" AS ENUM ('PASS', 'FAIL');

-- CreateEnum
CREATE TYPE "ItemResult" AS ENUM ('PASS', 'FAIL', 'NA');

-- CreateEnum
CREATE TYPE "InterviewStatus" AS ENUM ('SCHEDULED', 'NOTIFIED', 'ACKNOWLEDGED', 'HELD', 'REPORT_SUBMITTED', 'CLOSED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "WarningLevel" AS ENUM ('YELLOW', 'ORANGE', 'RED');

-- CreateEnum
CREATE TYPE "TestConclusion" AS ENUM ('PASS', 'FAIL');

-- CreateEnum
CREATE TYPE "TestReportStatus" AS ENUM ('RECEIVED', 'CHECKED', 'FLAGGED', 'REVIEWED');

-- CreateEnum
CREATE TYPE "QualityResult" AS ENUM ('PASS', 'MINOR', 'SERIOUS');

-- CreateEnum
CREATE TYPE "DeliveryChannel" AS ENUM ('ROBOT_OTO', 'ROBOT_GROUP', 'CARD', 'WORK_NOTICE', 'DING', 'WEBHOOK', 'GOV_WORK_NOTICE');

-- CreateEnum
CREATE TYPE "DeliveryStatus" AS ENUM ('PENDING', 'SENDING', 'SENT', 'FAILED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "ActorKind" AS ENUM ('PERSON', 'SYSTEM', 'DINGTALK');

-- CreateEnum
CREATE TYPE "TimerStatus" AS ENUM ('PENDING', 'FIRED', 'CANCELLED');

-- CreateTable
CREATE TABLE "Region" (
    "code" VARCHAR(6) NOT NULL,
    "name" TEXT NOT NULL,
    "level" "RegionLevel" NOT NULL,
    "parentCode" VARCHAR(6),

    CONSTRAINT "Region_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "RegulatorOrg" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "regionCode" VARCHAR(6) NOT NULL,
    "parentId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "RegulatorOrg_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Unit" (
    "id" TEXT NOT NULL,
    "uscc" VARCHAR(18) NOT NULL,
    "name" TEXT NOT NULL,
    "regionCode" VARCHAR(6) NOT NULL,
    "address" TEXT NOT NULL,
    "lat" DOUBLE PRECISION,
    "lng" DOUBLE PRECISION,
    "category" "UnitCategory" NOT NULL,
    "lpClass" INTEGER NOT NULL,
    "halfYearCycle" BOOLEAN NOT NULL DEFAULT false,
    "lastTestDate" TIMESTAMPTZ(3),
    "nextDueDate" TIMESTAMPTZ(3),
    "riskColor" "RiskColor" NOT NULL DEFAULT 'GREEN',
    "riskScore" INTEGER NOT NULL DEFAULT 0,
    "creditLevel" "CreditGrade",
    "dutyScore" DOUBLE PRECISION,
    "supervisingOrgId" TEXT,
    "supervisionCode" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Unit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Agency" (
    "id" TEXT NOT NULL,
    "uscc" VARCHAR(18) NOT NULL,
    "name" TEXT NOT NULL,
    "level" "AgencyLevel" NOT NULL,
    "certNo" TEXT NOT NULL,
    "certValidUntil" TIMESTAMPTZ(3) NOT NULL,
    "homeProvince" VARCHAR(6) NOT NULL,
    "regionCode" VARCHAR(6),
    "creditGrade" "CreditGrade" NOT NULL DEFAULT 'B',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Agency_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Tester" (
    "id" TEXT NOT NULL,
    "agencyId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "certNo" TEXT NOT NULL,
    "certValidUntil" TIMESTAMPTZ(3) NOT NULL,
    "personId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Tester_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Person" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "title" TEXT,
    "roles" "PersonRole"[],
    "unitId" TEXT,
    "orgId" TEXT,
    "agencyId" TEXT,
    "dingUserId" TEXT,
    "dingUnionId" TEXT,
    "govAccountId" TEXT,
    "mobileEnc" TEXT,
    "mobileHash" TEXT,
    "mobileMasked" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "mutedPurposes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Person_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Hazard" (
    "id" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "source" "HazardSource" NOT NULL,
    "type" "HazardType" NOT NULL,
    "grade" "HazardGrade" NOT NULL,
    "status" "HazardStatus" NOT NULL DEFAULT 'PENDING',
    "description" TEXT NOT NULL,
    "photos" JSONB NOT NULL DEFAULT '[]',
    "legalBasis" TEXT,
    "noticeNo" TEXT,
    "foundAt" TIMESTAMPTZ(3) NOT NULL,
    "deadline" TIMESTAMPTZ(3) NOT NULL,
    "deadlineWorkingDays" INTEGER,
    "filedById" TEXT,
    "testReportId" TEXT,
    "closedAt" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Hazard_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HazardAck" (
    "id" TEXT NOT NULL,
    "hazardId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HazardAck_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Rectification" (
    "id" TEXT NOT NULL,
    "hazardId" TEXT NOT NULL,
    "submittedById" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "photos" JSONB NOT NULL DEFAULT '[]',
    "submittedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decision" "RectificationDecision",
    "decidedById" TEXT,
    "decidedAt" TIMESTAMPTZ(3),
    "rejectReason" TEXT,

    CONSTRAINT "Rectification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ExtensionRequest" (
    "id" TEXT NOT NULL,
    "hazardId" TEXT NOT NULL,
    "requestedById" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "newDeadline" TIMESTAMPTZ(3) NOT NULL,
    "status" "ExtensionStatus" NOT NULL DEFAULT 'PENDING',
    "approvalInstanceId" TEXT,
    "decidedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ExtensionRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApprovalDefinition" (
    "id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "steps" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ApprovalDefinition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApprovalInstance" (
    "id" TEXT NOT NULL,
    "definitionId" TEXT NOT NULL,
    "subjectType" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "status" "ApprovalStatus" NOT NULL DEFAULT 'IN_PROGRESS',
    "currentStep" INTEGER NOT NULL DEFAULT 0,
    "version" INTEGER NOT NULL DEFAULT 1,
    "legalDeadline" TIMESTAMPTZ(3),
    "createdById" TEXT,
    "finishedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ApprovalInstance_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApprovalStep" (
    "id" TEXT NOT NULL,
    "instanceId" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "assigneePersonIds" TEXT[],
    "mode" "ApprovalMode" NOT NULL DEFAULT 'ANY',
    "status" "ApprovalStepStatus" NOT NULL DEFAULT 'WAITING',
    "dueAt" TIMESTAMPTZ(3),
    "startedAt" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ApprovalStep_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApprovalDecision" (
    "id" TEXT NOT NULL,
    "stepId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "decision" "ApprovalDecisionKind" NOT NULL,
    "comment" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApprovalDecision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Permit" (
    "id" TEXT NOT NULL,
    "kind" "PermitKind" NOT NULL,
    "applicantUscc" VARCHAR(18) NOT NULL,
    "applicantName" TEXT,
    "unitId" TEXT,
    "project" TEXT NOT NULL,
    "regionCode" VARCHAR(6),
    "submittedAt" TIMESTAMPTZ(3) NOT NULL,
    "acceptedAt" TIMESTAMPTZ(3),
    "status" "PermitStatus" NOT NULL DEFAULT 'SUBMITTED',
    "legalDeadline" TIMESTAMPTZ(3),
    "promisedDeadline" TIMESTAMPTZ(3),
    "decidedAt" TIMESTAMPTZ(3),
    "decisionNo" TEXT,
    "approvalInstanceId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Permit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Checklist" (
    "id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "items" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Checklist_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Inspection" (
    "id" TEXT NOT NULL,
    "mode" "InspectionMode" NOT NULL,
    "unitId" TEXT,
    "agencyId" TEXT,
    "checklistId" TEXT NOT NULL,
    "inspectorIds" TEXT[],
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "submittedAt" TIMESTAMPTZ(3),
    "result" "InspectionResult",
    "status" "InspectionStatus" NOT NULL DEFAULT 'IN_PROGRESS',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Inspection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InspectionItemResult" (
    "id" TEXT NOT NULL,
    "inspectionId" TEXT NOT NULL,
    "itemKey" TEXT NOT NULL,
    "result" "ItemResult" NOT NULL,
    "note" TEXT,
    "photos" JSONB NOT NULL DEFAULT '[]',
    "hazardId" TEXT,

    CONSTRAINT "InspectionItemResult_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DutyRanking" (
    "id" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "regionCode" VARCHAR(6) NOT NULL,
    "unitId" TEXT NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "rank" INTEGER NOT NULL,
    "total" INTEGER NOT NULL,
    "percentile" DOUBLE PRECISION NOT NULL,
    "consecutiveBottom" INTEGER NOT NULL DEFAULT 0,
    "publishedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DutyRanking_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Interview" (
    "id" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "status" "InterviewStatus" NOT NULL DEFAULT 'SCHEDULED',
    "scheduledAt" TIMESTAMPTZ(3) NOT NULL,
    "place" TEXT NOT NULL,
    "noticeSentAt" TIMESTAMPTZ(3),
    "attendees" JSONB NOT NULL DEFAULT '[]',
    "record" TEXT,
    "commitments" JSONB NOT NULL DEFAULT '[]',
    "reportDueAt" TIMESTAMPTZ(3),
    "reportSubmittedAt" TIMESTAMPTZ(3),
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Interview_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LightningWarning" (
    "id" TEXT NOT NULL,
    "level" "WarningLevel" NOT NULL,
    "regionCodes" TEXT[],
    "issuedAt" TIMESTAMPTZ(3) NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "text" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LightningWarning_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WarningAck" (
    "id" TEXT NOT NULL,
    "warningId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "unitId" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WarningAck_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TestReport" (
    "id" TEXT NOT NULL,
    "reportNo" TEXT NOT NULL,
    "agencyId" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "testerIds" TEXT[],
    "inspectionDate" TIMESTAMPTZ(3) NOT NULL,
    "issueDate" TIMESTAMPTZ(3) NOT NULL,
    "uploadDate" TIMESTAMPTZ(3) NOT NULL,
    "scanGeo" JSONB,
    "photos" JSONB NOT NULL DEFAULT '[]',
    "measurements" JSONB NOT NULL DEFAULT '[]',
    "conclusion" "TestConclusion" NOT NULL,
    "anomalies" JSONB NOT NULL DEFAULT '[]',
    "status" "TestReportStatus" NOT NULL DEFAULT 'RECEIVED',
    "qualityResult" "QualityResult",
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "TestReport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CreditEval" (
    "id" TEXT NOT NULL,
    "agencyId" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "grade" "CreditGrade" NOT NULL,
    "items" JSONB NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CreditEval_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Delivery" (
    "id" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "channel" "DeliveryChannel" NOT NULL,
    "recipientPersonId" TEXT,
    "recipientAddress" TEXT,
    "template" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "priority" INTEGER NOT NULL DEFAULT 5,
    "statutory" BOOLEAN NOT NULL DEFAULT false,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "jobId" TEXT,
    "notBefore" TIMESTAMPTZ(3),
    "batchKey" TEXT,
    "subjectType" TEXT,
    "subjectId" TEXT,
    "externalId" TEXT,
    "outTrackId" TEXT,
    "errorCode" TEXT,
    "errorMessage" TEXT,
    "dingCode" TEXT,
    "sendingAt" TIMESTAMPTZ(3),
    "sentAt" TIMESTAMPTZ(3),
    "readAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Delivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CardInstance" (
    "outTrackId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "subjectType" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "recipientPersonId" TEXT,
    "templateId" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CardInstance_pkey" PRIMARY KEY ("outTrackId")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorPersonId" TEXT,
    "actorKind" "ActorKind" NOT NULL,
    "action" TEXT NOT NULL,
    "subjectType" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookRobot" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "regionCode" VARCHAR(6),
    "webhookUrlEnc" TEXT NOT NULL,
    "secretEnc" TEXT,
    "keywords" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "WebhookRobot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Timer" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "subjectType" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "dueAt" TIMESTAMPTZ(3) NOT NULL,
    "status" "TimerStatus" NOT NULL DEFAULT 'PENDING',
    "data" JSONB,
    "firedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Timer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SystemSetting" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SystemSetting_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "Region_parentCode_idx" ON "Region"("parentCode");

-- CreateIndex
CREATE INDEX "RegulatorOrg_regionCode_idx" ON "RegulatorOrg"("regionCode");

-- CreateIndex
CREATE INDEX "RegulatorOrg_parentId_idx" ON "RegulatorOrg"("parentId");

-- CreateIndex
CREATE UNIQUE INDEX "Unit_uscc_key" ON "Unit"("uscc");

-- CreateIndex
CREATE UNIQUE INDEX "Unit_supervisionCode_key" ON "Unit"("supervisionCode");

-- CreateIndex
CREATE INDEX "Unit_regionCode_category_idx" ON "Unit"("regionCode", "category");

-- CreateIndex
CREATE INDEX "Unit_supervisingOrgId_idx" ON "Unit"("supervisingOrgId");

-- CreateIndex
CREATE INDEX "Unit_nextDueDate_idx" ON "Unit"("nextDueDate");

-- CreateIndex
CREATE INDEX "Unit_riskColor_idx" ON "Unit"("riskColor");

-- CreateIndex
CREATE UNIQUE INDEX "Agency_uscc_key" ON "Agency"("uscc");

-- CreateIndex
CREATE UNIQUE INDEX "Tester_personId_key" ON "Tester"("personId");

-- CreateIndex
CREATE INDEX "Tester_agencyId_idx" ON "Tester"("agencyId");

-- CreateIndex
CREATE UNIQUE INDEX "Person_dingUserId_key" ON "Person"("dingUserId");

-- CreateIndex
CREATE UNIQUE INDEX "Person_dingUnionId_key" ON "Person"("dingUnionId");

-- CreateIndex
CREATE UNIQUE INDEX "Person_mobileHash_key" ON "Person"("mobileHash");

-- CreateIndex
CREATE INDEX "Person_unitId_idx" ON "Person"("unitId");

-- CreateIndex
CREATE INDEX "Person_orgId_idx" ON "Person"("orgId");

-- CreateIndex
CREATE INDEX "Person_agencyId_idx" ON "Person"("agencyId");

-- CreateIndex
CREATE INDEX "Person_govAccountId_idx" ON "Person"("govAccountId");

-- CreateIndex
CREATE INDEX "Hazard_unitId_status_idx" ON "Hazard"("unitId", "status");

-- CreateIndex
CREATE INDEX "Hazard_status_deadline_idx" ON "Hazard"("status", "deadline");

-- CreateIndex
CREATE UNIQUE INDEX "HazardAck_hazardId_personId_key" ON "HazardAck"("hazardId", "personId");

-- CreateIndex
CREATE INDEX "Rectification_hazardId_idx" ON "Rectification"("hazardId");

-- CreateIndex
CREATE UNIQUE INDEX "ExtensionRequest_approvalInstanceId_key" ON "ExtensionRequest"("approvalInstanceId");

-- CreateIndex
CREATE INDEX "ExtensionRequest_hazardId_idx" ON "ExtensionRequest"("hazardId");

-- CreateIndex
CREATE UNIQUE INDEX "ApprovalDefinition_key_key" ON "ApprovalDefinition"("key");

-- CreateIndex
CREATE INDEX "ApprovalInstance_subjectType_subjectId_idx" ON "ApprovalInstance"("subjectType", "subjectId");

-- CreateIndex
CREATE INDEX "ApprovalInstance_status_idx" ON "ApprovalInstance"("status");

-- CreateIndex
CREATE INDEX "ApprovalStep_status_dueAt_idx" ON "ApprovalStep"("status", "dueAt");

-- CreateIndex
CREATE UNIQUE INDEX "ApprovalStep_instanceId_index_key" ON "ApprovalStep"("instanceId", "index");

-- CreateIndex
CREATE UNIQUE INDEX "ApprovalDecision_stepId_personId_key" ON "ApprovalDecision"("stepId", "personId");

-- CreateIndex
CREATE UNIQUE INDEX "Permit_approvalInstanceId_key" ON "Permit"("approvalInstanceId");

-- CreateIndex
CREATE INDEX "Permit_status_legalDeadline_idx" ON "Permit"("status", "legalDeadline");

-- CreateIndex
CREATE INDEX "Permit_applicantUscc_idx" ON "Permit"("applicantUscc");

-- CreateIndex
CREATE UNIQUE INDEX "Checklist_key_version_key" ON "Checklist"("key", "version");

-- CreateIndex
CREATE INDEX "Inspection_unitId_startedAt_idx" ON "Inspection"("unitId", "startedAt");

-- CreateIndex
CREATE INDEX "Inspection_agencyId_startedAt_idx" ON "Inspection"("agencyId", "startedAt");

-- CreateIndex
CREATE INDEX "Inspection_status_idx" ON "Inspection"("status");

-- CreateIndex
CREATE UNIQUE INDEX "InspectionItemResult_inspectionId_itemKey_key" ON "InspectionItemResult"("inspectionId", "itemKey");

-- CreateIndex
CREATE INDEX "DutyRanking_period_regionCode_rank_idx" ON "DutyRanking"("period", "regionCode", "rank");

-- CreateIndex
CREATE UNIQUE INDEX "DutyRanking_period_unitId_key" ON "DutyRanking"("period", "unitId");

-- CreateIndex
CREATE INDEX "Interview_unitId_status_idx" ON "Interview"("unitId", "status");

-- CreateIndex
CREATE INDEX "Interview_status_reportDueAt_idx" ON "Interview"("status", "reportDueAt");

-- CreateIndex
CREATE INDEX "LightningWarning_expiresAt_idx" ON "LightningWarning"("expiresAt");

-- CreateIndex
CREATE INDEX "WarningAck_unitId_idx" ON "WarningAck"("unitId");

-- CreateIndex
CREATE UNIQUE INDEX "WarningAck_warningId_personId_key" ON "WarningAck"("warningId", "personId");

-- CreateIndex
CREATE UNIQUE INDEX "TestReport_reportNo_key" ON "TestReport"("reportNo");

-- CreateIndex
CREATE INDEX "TestReport_unitId_inspectionDate_idx" ON "TestReport"("unitId", "inspectionDate");

-- CreateIndex
CREATE INDEX "TestReport_agencyId_issueDate_idx" ON "TestReport"("agencyId", "issueDate");

-- CreateIndex
CREATE INDEX "TestReport_status_idx" ON "TestReport"("status");

-- CreateIndex
CREATE UNIQUE INDEX "CreditEval_agencyId_year_key" ON "CreditEval"("agencyId", "year");

-- CreateIndex
CREATE UNIQUE INDEX "Delivery_idempotencyKey_key" ON "Delivery"("idempotencyKey");

-- CreateIndex
CREATE UNIQUE INDEX "Delivery_outTrackId_key" ON "Delivery"("outTrackId");

-- CreateIndex
CREATE INDEX "Delivery_status_notBefore_idx" ON "Delivery"("status", "notBefore");

-- CreateIndex
CREATE INDEX "Delivery_subjectType_subjectId_idx" ON "Delivery"("subjectType", "subjectId");

-- CreateIndex
CREATE INDEX "Delivery_batchKey_idx" ON "Delivery"("batchKey");

-- CreateIndex
CREATE INDEX "Delivery_recipientPersonId_createdAt_idx" ON "Delivery"("recipientPersonId", "createdAt");

-- CreateIndex
CREATE INDEX "Delivery_jobId_idx" ON "Delivery"("jobId");

-- CreateIndex
CREATE INDEX "CardInstance_subjectType_subjectId_idx" ON "CardInstance"("subjectType", "subjectId");

-- CreateIndex
CREATE INDEX "CardInstance_recipientPersonId_idx" ON "CardInstance"("recipientPersonId");

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_hash_key" ON "AuditEvent"("hash");

-- CreateIndex
CREATE INDEX "AuditEvent_subjectType_subjectId_idx" ON "AuditEvent"("subjectType", "subjectId");

-- CreateIndex
CREATE INDEX "AuditEvent_action_at_idx" ON "AuditEvent"("action", "at");

-- CreateIndex
CREATE INDEX "AuditEvent_actorPersonId_idx" ON "AuditEvent"("actorPersonId");

-- CreateIndex
CREATE INDEX "Timer_status_dueAt_idx" ON "Timer"("status", "dueAt");

-- CreateIndex
CREATE INDEX "Timer_subjectType_subjectId_idx" ON "Timer"("subjectType", "subjectId");

-- CreateIndex
CREATE UNIQUE INDEX "Timer_kind_subjectType_subjectId_dueAt_key" ON "Timer"("kind", "subjectType", "subjectId", "dueAt");

-- AddForeignKey
ALTER TABLE "Region" ADD CONSTRAINT "Region_parentCode_fkey" FOREIGN KEY ("parentCode") REFERENCES "Region"("code") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RegulatorOrg" ADD CONSTRAINT "RegulatorOrg_regionCode_fkey" FOREIGN KEY ("regionCode") REFERENCES "Region"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RegulatorOrg" ADD CONSTRAINT "RegulatorOrg_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "RegulatorOrg"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Unit" ADD CONSTRAINT "Unit_regionCode_fkey" FOREIGN KEY ("regionCode") REFERENCES "Region"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Unit" ADD CONSTRAINT "Unit_supervisingOrgId_fkey" FOREIGN KEY ("supervisingOrgId") REFERENCES "RegulatorOrg"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Tester" ADD CONSTRAINT "Tester_agencyId_fkey" FOREIGN KEY ("agencyId") REFERENCES "Agency"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Tester" ADD CONSTRAINT "Tester_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Person" ADD CONSTRAINT "Person_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Person" ADD CONSTRAINT "Person_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "RegulatorOrg"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Person" ADD CONSTRAINT "Person_agencyId_fkey" FOREIGN KEY ("agencyId") REFERENCES "Agency"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Hazard" ADD CONSTRAINT "Hazard_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Hazard" ADD CONSTRAINT "Hazard_filedById_fkey" FOREIGN KEY ("filedById") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Hazard" ADD CONSTRAINT "Hazard_testReportId_fkey" FOREIGN KEY ("testReportId") REFERENCES "TestReport"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HazardAck" ADD CONSTRAINT "HazardAck_hazardId_fkey" FOREIGN KEY ("hazardId") REFERENCES "Hazard"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HazardAck" ADD CONSTRAINT "HazardAck_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Rectification" ADD CONSTRAINT "Rectification_hazardId_fkey" FOREIGN KEY ("hazardId") REFERENCES "Hazard"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Rectification" ADD CONSTRAINT "Rectification_submittedById_fkey" FOREIGN KEY ("submittedById") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Rectification" ADD CONSTRAINT "Rectification_decidedById_fkey" FOREIGN KEY ("decidedById") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExtensionRequest" ADD CONSTRAINT "ExtensionRequest_hazardId_fkey" FOREIGN KEY ("hazardId") REFERENCES "Hazard"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExtensionRequest" ADD CONSTRAINT "ExtensionRequest_requestedById_fkey" FOREIGN KEY ("requestedById") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExtensionRequest" ADD CONSTRAINT "ExtensionRequest_approvalInstanceId_fkey" FOREIGN KEY ("approvalInstanceId") REFERENCES "ApprovalInstance"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApprovalInstance" ADD CONSTRAINT "ApprovalInstance_definitionId_fkey" FOREIGN KEY ("definitionId") REFERENCES "ApprovalDefinition"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApprovalInstance" ADD CONSTRAINT "ApprovalInstance_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApprovalStep" ADD CONSTRAINT "ApprovalStep_instanceId_fkey" FOREIGN KEY ("instanceId") REFERENCES "ApprovalInstance"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApprovalDecision" ADD CONSTRAINT "ApprovalDecision_stepId_fkey" FOREIGN KEY ("stepId") REFERENCES "ApprovalStep"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApprovalDecision" ADD CONSTRAINT "ApprovalDecision_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Permit" ADD CONSTRAINT "Permit_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Permit" ADD CONSTRAINT "Permit_approvalInstanceId_fkey" FOREIGN KEY ("approvalInstanceId") REFERENCES "ApprovalInstance"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Inspection" ADD CONSTRAINT "Inspection_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Inspection" ADD CONSTRAINT "Inspection_agencyId_fkey" FOREIGN KEY ("agencyId") REFERENCES "Agency"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Inspection" ADD CONSTRAINT "Inspection_checklistId_fkey" FOREIGN KEY ("checklistId") REFERENCES "Checklist"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InspectionItemResult" ADD CONSTRAINT "InspectionItemResult_inspectionId_fkey" FOREIGN KEY ("inspectionId") REFERENCES "Inspection"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InspectionItemResult" ADD CONSTRAINT "InspectionItemResult_hazardId_fkey" FOREIGN KEY ("hazardId") REFERENCES "Hazard"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DutyRanking" ADD CONSTRAINT "DutyRanking_regionCode_fkey" FOREIGN KEY ("regionCode") REFERENCES "Region"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DutyRanking" ADD CONSTRAINT "DutyRanking_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Interview" ADD CONSTRAINT "Interview_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Interview" ADD CONSTRAINT "Interview_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WarningAck" ADD CONSTRAINT "WarningAck_warningId_fkey" FOREIGN KEY ("warningId") REFERENCES "LightningWarning"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WarningAck" ADD CONSTRAINT "WarningAck_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WarningAck" ADD CONSTRAINT "WarningAck_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TestReport" ADD CONSTRAINT "TestReport_agencyId_fkey" FOREIGN KEY ("agencyId") REFERENCES "Agency"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TestReport" ADD CONSTRAINT "TestReport_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CreditEval" ADD CONSTRAINT "CreditEval_agencyId_fkey" FOREIGN KEY ("agencyId") REFERENCES "Agency"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Delivery" ADD CONSTRAINT "Delivery_recipientPersonId_fkey" FOREIGN KEY ("recipientPersonId") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CardInstance" ADD CONSTRAINT "CardInstance_recipientPersonId_fkey" FOREIGN KEY ("recipientPersonId") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookRobot" ADD CONSTRAINT "WebhookRobot_regionCode_fkey" FOREIGN KEY ("regionCode") REFERENCES "Region"("code") ON DELETE SET NULL ON UPDATE CASCADE;

