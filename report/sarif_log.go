package report

// SARIF 2.1.0 objects, limited to what leakhound writes.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool        sarifTool          `json:"tool"`
		Invocations []sarifInvocation  `json:"invocations,omitempty"`
		VCS         []sarifVersionCtrl `json:"versionControlProvenance,omitempty"`
		Results     []sarifResult      `json:"results"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		Version        string      `json:"version"`
		InformationURI string      `json:"informationUri"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID               string          `json:"id"`
		Name             string          `json:"name,omitempty"`
		ShortDescription sarifText       `json:"shortDescription"`
		Help             sarifText       `json:"help"`
		DefaultConfig    sarifRuleConfig `json:"defaultConfiguration"`
		Properties       sarifRuleProps  `json:"properties"`
	}
	sarifRuleProps struct {
		Tags             []string `json:"tags"`
		SecuritySeverity string   `json:"security-severity"`
	}
	sarifRuleConfig struct {
		Level string `json:"level"`
	}
	sarifText struct {
		Text string `json:"text"`
	}
	sarifInvocation struct {
		ExecutionSuccessful bool             `json:"executionSuccessful"`
		StartTimeUTC        string           `json:"startTimeUtc,omitempty"`
		EndTimeUTC          string           `json:"endTimeUtc,omitempty"`
		Notifications       []sarifNotifying `json:"toolExecutionNotifications,omitempty"`
	}
	sarifNotifying struct {
		Level   string    `json:"level"`
		Message sarifText `json:"message"`
	}
	sarifVersionCtrl struct {
		RepositoryURI string `json:"repositoryUri"`
	}
	sarifResult struct {
		RuleID              string            `json:"ruleId"`
		RuleIndex           int               `json:"ruleIndex"`
		Level               string            `json:"level"`
		Message             sarifText         `json:"message"`
		Locations           []sarifLocation   `json:"locations"`
		PartialFingerprints map[string]string `json:"partialFingerprints,omitempty"`
		Properties          sarifResultProps  `json:"properties"`
	}
	sarifResultProps struct {
		Commit      string `json:"commit,omitempty"`
		Author      string `json:"author,omitempty"`
		Email       string `json:"email,omitempty"`
		Date        string `json:"date,omitempty"`
		Secret      string `json:"secret"`
		Severity    string `json:"severity,omitempty"`
		Confidence  string `json:"confidence,omitempty"`
		Validated   string `json:"validated,omitempty"`
		Fingerprint string `json:"fingerprint"`
	}
	sarifLocation struct {
		Physical *sarifPhysical `json:"physicalLocation,omitempty"`
		Message  *sarifText     `json:"message,omitempty"`
	}
	sarifPhysical struct {
		Artifact sarifArtifact `json:"artifactLocation"`
		Region   sarifRegion   `json:"region"`
	}
	sarifArtifact struct {
		URI       string `json:"uri"`
		URIBaseID string `json:"uriBaseId"`
	}
	sarifRegion struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn"`
		EndLine     int `json:"endLine"`
		EndColumn   int `json:"endColumn"`
	}
)
