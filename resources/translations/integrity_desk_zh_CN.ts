<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About Integrity Desk</source>
        <translation>关于诚信服务台</translation>
    </message>
    <message>
        <source>About</source>
        <translation>关于</translation>
    </message>
    <message>
        <source>Licenses</source>
        <translation>许可证</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Integrity Desk</source>
        <translation>诚信服务台</translation>
    </message>
    <message>
        <source>Version {version}</source>
        <translation>版本 {version}</translation>
    </message>
    <message>
        <source>For the service hall of a public resource trading center: credit lookups at the entry desk, on-site evaluation of bid-evaluation experts, complaints from the public and the monthly scoring of staff, with an audit trail that can be verified end to end.</source>
        <translation>公共资源交易中心服务大厅的诚信管理系统：入场信用查询、评标专家现场考评、服务投诉受理和工作人员月度考核，全部操作记入可端到端校验的审计日志。</translation>
    </message>
    <message>
        <source>Database in use: {database}</source>
        <translation>当前数据库：{database}</translation>
    </message>
    <message>
        <source>Integrity Desk is built on these components, under their own licenses:</source>
        <translation>诚信服务台使用了以下组件，各组件遵循其自身的许可证：</translation>
    </message>
    <message>
        <source>Apache-2.0, or GPL-3.0-or-later with the font exception</source>
        <translation>Apache-2.0，或 GPL-3.0 及以后版本（附字体例外条款）</translation>
    </message>
    <message>
        <source>Components and licenses</source>
        <translation>组件及许可证</translation>
    </message>
    <message>
        <source>Component</source>
        <translation>组件</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>License</source>
        <translation>许可证</translation>
    </message>
    <message>
        <source>The bundled Chinese font, WenQuanYi Micro Hei:</source>
        <translation>随程序附带的中文字体（文泉驿微米黑）：</translation>
    </message>
    <message>
        <source>Font license</source>
        <translation>字体许可证</translation>
    </message>
    <message>
        <source>The license file {file} is missing.</source>
        <translation>缺少许可证文件 {file}。</translation>
    </message>
</context>
<context>
    <name>AdminPage</name>
    <message>
        <source>System administration</source>
        <translation>系统管理</translation>
    </message>
    <message>
        <source>Departments</source>
        <translation>科室</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>人员</translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation>账户</translation>
    </message>
    <message>
        <source>Center settings</source>
        <translation>中心设置</translation>
    </message>
    <message>
        <source>Credit catalogue</source>
        <translation>信用目录</translation>
    </message>
    <message>
        <source>Complaints rules</source>
        <translation>投诉规则</translation>
    </message>
    <message>
        <source>Working-day calendar</source>
        <translation>工作日历</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>Integrity Desk — unexpected error</source>
        <translation>诚信服务台 — 意外错误</translation>
    </message>
    <message>
        <source>Integrity Desk ran into an unexpected error. Records already saved are safe.</source>
        <translation>诚信服务台发生了意外错误。已保存的记录不受影响。</translation>
    </message>
    <message>
        <source>The details were written to the log file:
{path}

Please give this file to the IT staff. You can go on working; if the error comes back, quit and start the program again.</source>
        <translation>详细信息已写入日志文件：
{path}

请将该文件提供给信息科工作人员。您可以继续工作；如果错误再次出现，请退出并重新启动程序。</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>继续工作</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>This is not a database URL.</source>
        <translation>这不是有效的数据库地址。</translation>
    </message>
    <message>
        <source>A database in memory: nothing in it is kept.</source>
        <translation>内存数据库：其中的数据不会保存。</translation>
    </message>
    <message>
        <source>The folder of {path} cannot be written to.</source>
        <translation>无法写入 {path} 所在的文件夹。</translation>
    </message>
    <message>
        <source>The file {path} does not exist yet: it will be created at the next start.</source>
        <translation>文件 {path} 尚不存在，将在下次启动时创建。</translation>
    </message>
    <message>
        <source>{path} is not a sound SQLite database: {problem}</source>
        <translation>{path} 不是完好的 SQLite 数据库：{problem}</translation>
    </message>
    <message>
        <source>The SQLite file {path} can be opened.</source>
        <translation>SQLite 数据库文件 {path} 可以正常打开。</translation>
    </message>
    <message>
        <source>Cannot connect: {error}</source>
        <translation>无法连接：{error}</translation>
    </message>
    <message>
        <source>Connected to PostgreSQL {version}.</source>
        <translation>已连接到 PostgreSQL {version}。</translation>
    </message>
    <message>
        <source>Only SQLite and PostgreSQL databases are supported.</source>
        <translation>仅支持 SQLite 和 PostgreSQL 数据库。</translation>
    </message>
    <message>
        <source>Integrity Desk</source>
        <translation>诚信服务台</translation>
    </message>
    <message>
        <source>The database could not be opened.</source>
        <translation>无法打开数据库。</translation>
    </message>
    <message>
        <source>{problem}

Database: {database}
Log file: {log}</source>
        <translation>{problem}

数据库：{database}
日志文件：{log}</translation>
    </message>
    <message>
        <source>Database settings…</source>
        <translation>数据库设置…</translation>
    </message>
    <message>
        <source>The database URL in the settings is not valid.</source>
        <translation>设置中的数据库地址无效。</translation>
    </message>
    <message>
        <source>The database cannot be reached: {error}</source>
        <translation>无法连接数据库：{error}</translation>
    </message>
    <message>
        <source>A file of the database cannot be used: {error}</source>
        <translation>数据库相关文件无法使用：{error}</translation>
    </message>
</context>
<context>
    <name>AssignmentDialog</name>
    <message>
        <source>Accept the complaint</source>
        <translation>受理投诉</translation>
    </message>
    <message>
        <source>Assign the complaint</source>
        <translation>分派投诉</translation>
    </message>
    <message>
        <source>Department:</source>
        <translation>承办科室：</translation>
    </message>
    <message>
        <source>(not chosen)</source>
        <translation>（未选择）</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>承办科室</translation>
    </message>
    <message>
        <source>Handler:</source>
        <translation>承办人：</translation>
    </message>
    <message>
        <source>Handler</source>
        <translation>承办人</translation>
    </message>
    <message>
        <source>Note:</source>
        <translation>备注：</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Accept</source>
        <translation>受理</translation>
    </message>
    <message>
        <source>Assign</source>
        <translation>分派</translation>
    </message>
</context>
<context>
    <name>AuditLogModel</name>
    <message>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>Login name</source>
        <translation>登录名</translation>
    </message>
    <message>
        <source>Workstation</source>
        <translation>工作站</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Object</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
</context>
<context>
    <name>AuditPage</name>
    <message>
        <source>From date</source>
        <translation>起始日期</translation>
    </message>
    <message>
        <source>Any</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>To date</source>
        <translation>截止日期</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>Name or login name</source>
        <translation>姓名或登录名</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>All actions</source>
        <translation>全部操作</translation>
    </message>
    <message>
        <source>Text in summary or object number</source>
        <translation>摘要文字或对象编号</translation>
    </message>
    <message>
        <source>Text in summary, or an object number (Ctrl+F)</source>
        <translation>摘要中的文字，或对象编号（Ctrl+F）</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>查询</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation>清空筛选条件</translation>
    </message>
    <message>
        <source>From:</source>
        <translation>起始：</translation>
    </message>
    <message>
        <source>To:</source>
        <translation>截止：</translation>
    </message>
    <message>
        <source>Person:</source>
        <translation>操作人：</translation>
    </message>
    <message>
        <source>Action:</source>
        <translation>操作：</translation>
    </message>
    <message>
        <source>Text:</source>
        <translation>文字：</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <source>Verify audit chain</source>
        <translation>校验审计链</translation>
    </message>
    <message>
        <source>Check every entry against its key-protected hash and the one before it</source>
        <translation>逐条核对每条记录的密钥校验码及其与前一条的衔接</translation>
    </message>
    <message>
        <source>Record break…</source>
        <translation>记录断裂…</translation>
    </message>
    <message>
        <source>Record break</source>
        <translation>记录断裂</translation>
    </message>
    <message>
        <source>Record what was found and start a new segment, so audited work can resume</source>
        <translation>记录所发现的情况并开启新段，业务操作随即恢复</translation>
    </message>
    <message>
        <source>The start date is after the end date.</source>
        <translation>起始日期晚于截止日期。</translation>
    </message>
    <message>
        <source>%1 entries, %2 shown</source>
        <translation>共 %1 条，已显示 %2 条</translation>
    </message>
    <message>
        <source>Audit chain intact: %1 entries checked.</source>
        <translation>审计链完整：已校验 %1 条记录。</translation>
    </message>
    <message>
        <source>Breaks on record: %1.</source>
        <translation>已记录的断裂：%1。</translation>
    </message>
    <message>
        <source>Audit chain BROKEN: %1 (%2 entries before it are intact).</source>
        <translation>审计链异常：%1（此前 %2 条完好）。</translation>
    </message>
    <message>
        <source>entry %1, %2 by %3: %4</source>
        <translation>第 %1 条，%2 由 %3 记录：%4</translation>
    </message>
</context>
<context>
    <name>BatchCheck</name>
    <message>
        <source>Not checked</source>
        <translation>未核验</translation>
    </message>
    <message>
        <source>The same subject as line {row}: checked once</source>
        <translation>与第 {row} 行为同一主体，只核验一次</translation>
    </message>
    <message>
        <source>Left out: check this bidder at the desk. {note}</source>
        <translation>本次不核验，须在窗口单独核验。{note}</translation>
    </message>
    <message>
        <source>Decided by you. {note}</source>
        <translation>已由您确认。{note}</translation>
    </message>
    <message>
        <source>No credit file matches the line: it is recorded as not found, with its notice.</source>
        <translation>档案中没有与本行相符的主体：按“未找到”登记，同样出具告知单。</translation>
    </message>
</context>
<context>
    <name>BatchCheckDialog</name>
    <message>
        <source>Batch check of a bid opening</source>
        <translation>批量核验（开标名单）</translation>
    </message>
    <message>
        <source>Load the list of registered bidders (.xlsx or .csv) with the columns 名称 and/or 统一社会信用代码 / 身份证号. Every line is previewed first; nothing is recorded before you confirm. Then each line is recorded as a check with its own notice, and one summary sheet is issued.</source>
        <translation>载入交易平台的投标人报名名单（.xlsx 或 .csv，列：名称，和/或 统一社会信用代码、身份证号）。先逐行预览，确认前不登记任何核验；确认后每行登记一次核验、出具一份信用查询结果告知单，并出具一份汇总表。</translation>
    </message>
    <message>
        <source>List file</source>
        <translation>名单文件</translation>
    </message>
    <message>
        <source>no file chosen</source>
        <translation>尚未选择文件</translation>
    </message>
    <message>
        <source>&amp;Choose file…</source>
        <translation>选择文件(&amp;C)…</translation>
    </message>
    <message>
        <source>Choose file</source>
        <translation>选择文件</translation>
    </message>
    <message>
        <source>Save &amp;template…</source>
        <translation>保存模板(&amp;T)…</translation>
    </message>
    <message>
        <source>Save template</source>
        <translation>保存模板</translation>
    </message>
    <message>
        <source>Opening da&amp;y:</source>
        <translation>核验日期(&amp;D)：</translation>
    </message>
    <message>
        <source>Date of the bid opening</source>
        <translation>开标日期</translation>
    </message>
    <message>
        <source>The day the verdicts are for: the day of the bid opening.</source>
        <translation>按哪一天给出结论：开标当天。</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>行号</translation>
    </message>
    <message>
        <source>Listed</source>
        <translation>名单所列</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Subject checked</source>
        <translation>核验主体</translation>
    </message>
    <message>
        <source>Notice</source>
        <translation>告知单编号</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Lines of the list</source>
        <translation>名单各行</translation>
    </message>
    <message>
        <source>&amp;Decide line…</source>
        <translation>确认本行(&amp;E)…</translation>
    </message>
    <message>
        <source>Decide the line</source>
        <translation>确认本行</translation>
    </message>
    <message>
        <source>Show &amp;summary</source>
        <translation>查看汇总表(&amp;S)</translation>
    </message>
    <message>
        <source>Show the summary</source>
        <translation>查看汇总表</translation>
    </message>
    <message>
        <source>&amp;Print all notices…</source>
        <translation>打印全部告知单(&amp;P)…</translation>
    </message>
    <message>
        <source>Print every notice of the list</source>
        <translation>打印名单的全部告知单</translation>
    </message>
    <message>
        <source>Save notices to a &amp;folder…</source>
        <translation>保存到文件夹(&amp;F)…</translation>
    </message>
    <message>
        <source>Save every notice to a folder</source>
        <translation>把全部告知单和汇总表保存到文件夹</translation>
    </message>
    <message>
        <source>C&amp;onfirm and record</source>
        <translation>确认登记并出具(&amp;O)</translation>
    </message>
    <message>
        <source>Confirm and record</source>
        <translation>确认登记并出具</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Choose the list of bidders</source>
        <translation>选择投标人名单</translation>
    </message>
    <message>
        <source>Excel or CSV files (*.xlsx *.csv)</source>
        <translation>Excel 或 CSV 文件 (*.xlsx *.csv)</translation>
    </message>
    <message>
        <source>Recorded {checks} checks of {lines} lines: {banned} no entry, {missing} not found, {records} with bad records, {clear} may enter, {out} not checked. Summary {number}.</source>
        <translation>共 {lines} 行，已登记核验 {checks} 次：禁止入场 {banned}，未找到 {missing}，有不良记录 {records}，可入场 {clear}，未核验 {out}。汇总表 {number}。</translation>
    </message>
    <message>
        <source>Choose the list of the bid opening to see what each line finds.</source>
        <translation>请选择开标名单，预览每一行的核验结果。</translation>
    </message>
    <message>
        <source>{lines} lines: {banned} no entry, {missing} not found, {repeats} repeated, {waiting} to decide.</source>
        <translation>共 {lines} 行：禁止入场 {banned}，未找到 {missing}，重复 {repeats}，待确认 {waiting}。</translation>
    </message>
    <message>
        <source>Select a tinted line and press Enter to decide it.</source>
        <translation>请选中底色标出的行，按回车逐行确认。</translation>
    </message>
    <message>
        <source>Print the notices of the list</source>
        <translation>打印名单的告知单</translation>
    </message>
    <message>
        <source>The notices could not be printed. Check the printer and try again.</source>
        <translation>告知单未能打印。请检查打印机后重试。</translation>
    </message>
    <message>
        <source>Save the notices in a folder</source>
        <translation>把告知单保存到文件夹</translation>
    </message>
    <message>
        <source>The file could not be saved:
{path}

{reason}</source>
        <translation>文件未能保存：
{path}

{reason}</translation>
    </message>
    <message>
        <source>{count} files were saved in {folder}.</source>
        <translation>已在 {folder} 保存 {count} 个文件。</translation>
    </message>
    <message>
        <source>Save the list template</source>
        <translation>保存名单模板</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx);;CSV file (*.csv)</source>
        <translation>Excel 工作簿 (*.xlsx);;CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>The template was saved to {path}.</source>
        <translation>模板已保存到 {path}。</translation>
    </message>
</context>
<context>
    <name>CaseDetail</name>
    <message>
        <source>Case</source>
        <translation>基本情况</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>By</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>What</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Internal</source>
        <translation>内部</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>History</source>
        <translation>办理记录</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>字节数</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>添加时间</translation>
    </message>
    <message>
        <source>SHA-256</source>
        <translation>SHA-256</translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation>证据材料</translation>
    </message>
    <message>
        <source>Save a copy…</source>
        <translation>另存副本…</translation>
    </message>
    <message>
        <source>Asked</source>
        <translation>申请时间</translation>
    </message>
    <message>
        <source>Asked by</source>
        <translation>申请人</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>工作日</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>New deadline</source>
        <translation>新办结期限</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>审批意见</translation>
    </message>
    <message>
        <source>Extensions</source>
        <translation>延期申请</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>工作人员</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>分值</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>扣分原因</translation>
    </message>
    <message>
        <source>Deductions</source>
        <translation>扣分</translation>
    </message>
    <message>
        <source>Deadline extensions</source>
        <translation>延期申请</translation>
    </message>
    <message>
        <source>Deductions on staff months</source>
        <translation>工作人员月度扣分</translation>
    </message>
    <message>
        <source>Extensions and deductions</source>
        <translation>延期与扣分</translation>
    </message>
    <message>
        <source>Registered</source>
        <translation>登记</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>受理</translation>
    </message>
    <message>
        <source>Not accepted</source>
        <translation>不予受理</translation>
    </message>
    <message>
        <source>Transferred</source>
        <translation>转办</translation>
    </message>
    <message>
        <source>Investigation started</source>
        <translation>开始调查处理</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>办结</translation>
    </message>
    <message>
        <source>Follow-up visit</source>
        <translation>回访</translation>
    </message>
    <message>
        <source>Assigned</source>
        <translation>分派</translation>
    </message>
    <message>
        <source>Internal note</source>
        <translation>内部备注</translation>
    </message>
    <message>
        <source>Extension asked</source>
        <translation>申请延期</translation>
    </message>
    <message>
        <source>Extension decided</source>
        <translation>审批延期</translation>
    </message>
    <message>
        <source>Credit record drafted</source>
        <translation>录入信用记录</translation>
    </message>
    <message>
        <source>Complainant contacted</source>
        <translation>已联系投诉人</translation>
    </message>
    <message>
        <source>Rectification done</source>
        <translation>整改完成</translation>
    </message>
    <message>
        <source>Choose a case in the list, or type its number or lookup code above.</source>
        <translation>请在列表中选择一件投诉，或在上方输入投诉编号或查询码。</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>已超期</translation>
    </message>
    <message>
        <source>Due: %1</source>
        <translation>办结期限：%1</translation>
    </message>
    <message>
        <source>Evidence (%1)</source>
        <translation>证据材料（%1）</translation>
    </message>
    <message>
        <source>Lookup code</source>
        <translation>查询码</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>收到时间</translation>
    </message>
    <message>
        <source>Received by</source>
        <translation>首问负责人</translation>
    </message>
    <message>
        <source>Anonymous</source>
        <translation>匿名</translation>
    </message>
    <message>
        <source>Complainant</source>
        <translation>投诉人</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>证件</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>联系地址</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Respondent</source>
        <translation>被投诉对象</translation>
    </message>
    <message>
        <source>Project code</source>
        <translation>项目编号</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>投诉类别</translation>
    </message>
    <message>
        <source>Facts</source>
        <translation>投诉事项</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>投诉请求</translation>
    </message>
    <message>
        <source>Time limit</source>
        <translation>办理时限</translation>
    </message>
    <message>
        <source>%1, %2 working days</source>
        <translation>%1，%2个工作日</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>办结期限</translation>
    </message>
    <message>
        <source>Accept by</source>
        <translation>受理期限</translation>
    </message>
    <message>
        <source>Statutory</source>
        <translation>法定程序</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>承办科室</translation>
    </message>
    <message>
        <source>Handler</source>
        <translation>承办人</translation>
    </message>
    <message>
        <source>Transferred to</source>
        <translation>转办至</translation>
    </message>
    <message>
        <source>Finding</source>
        <translation>调查结论</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>答复</translation>
    </message>
    <message>
        <source>Satisfaction</source>
        <translation>满意度</translation>
    </message>
    <message>
        <source>Contact by</source>
        <translation>联系期限</translation>
    </message>
    <message>
        <source>Rectify by</source>
        <translation>整改期限</translation>
    </message>
    <message>
        <source>Follow-up</source>
        <translation>跟进情况</translation>
    </message>
    <message>
        <source>Linked case</source>
        <translation>关联投诉</translation>
    </message>
    <message>
        <source>Credit record</source>
        <translation>信用记录</translation>
    </message>
    <message>
        <source>Record #%1 in the subject's credit file</source>
        <translation>主体信用档案中的第 %1 号记录</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>回执</translation>
    </message>
    <message>
        <source>Result notice</source>
        <translation>处理结果告知书</translation>
    </message>
</context>
<context>
    <name>CatalogueTableModel</name>
    <message>
        <source>Record kind</source>
        <translation>记录类别</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <source>Effective from</source>
        <translation>生效日期</translation>
    </message>
    <message>
        <source>Publicity min (months)</source>
        <translation>最短公示（月）</translation>
    </message>
    <message>
        <source>Publicity max (months)</source>
        <translation>最长公示（月）</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>分值</translation>
    </message>
    <message>
        <source>Ban (months)</source>
        <translation>禁入（月）</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>CatalogueVersions</name>
    <message>
        <source>A version from this date already exists. Choose another date, or correct that version.</source>
        <translation>该日期已有一个版本。请选择其他日期，或更正该版本。</translation>
    </message>
    <message>
        <source>In force</source>
        <translation>现行</translation>
    </message>
    <message>
        <source>Superseded</source>
        <translation>已被替代</translation>
    </message>
    <message>
        <source>Not yet in force</source>
        <translation>尚未生效</translation>
    </message>
</context>
<context>
    <name>CenterSettingsTab</name>
    <message>
        <source>Center name:</source>
        <translation>中心名称：</translation>
    </message>
    <message>
        <source>Short name:</source>
        <translation>简称：</translation>
    </message>
    <message>
        <source>Address:</source>
        <translation>地址：</translation>
    </message>
    <message>
        <source>Query phone:</source>
        <translation>查询电话：</translation>
    </message>
    <message>
        <source>Document number prefix:</source>
        <translation>文号前缀：</translation>
    </message>
    <message>
        <source>Complaint number prefix:</source>
        <translation>投诉编号前缀：</translation>
    </message>
    <message>
        <source>Printed as the issuing body on every notice</source>
        <translation>作为发文机关印在每份告知单上</translation>
    </message>
    <message>
        <source>Used where space is short, e.g. 某市公资交</source>
        <translation>版面紧张时使用，例如 某市公资交</translation>
    </message>
    <message>
        <source>Printed on receipts</source>
        <translation>印在回执上</translation>
    </message>
    <message>
        <source>Printed on receipts for the public to ask about their case</source>
        <translation>印在回执上，供群众查询办理进度</translation>
    </message>
    <message>
        <source>Letters before the year in a complaint's number, e.g. TS → TS2026-000123</source>
        <translation>投诉编号中年份前的字母，例如 TS → TS2026-000123</translation>
    </message>
    <message>
        <source>Minimum password length:</source>
        <translation>密码最小长度：</translation>
    </message>
    <message>
        <source>Character classes required:</source>
        <translation>密码字符类别：</translation>
    </message>
    <message>
        <source>Failed sign-ins before lockout:</source>
        <translation>登录失败锁定次数：</translation>
    </message>
    <message>
        <source>Lockout duration:</source>
        <translation>锁定时长：</translation>
    </message>
    <message>
        <source>Lock the screen after idle:</source>
        <translation>闲置自动锁屏：</translation>
    </message>
    <message>
        <source> characters</source>
        <translation> 个字符</translation>
    </message>
    <message>
        <source> of 4</source>
        <translation> 类（共 4 类）</translation>
    </message>
    <message>
        <source> attempts</source>
        <translation> 次</translation>
    </message>
    <message>
        <source> minutes</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>Center</source>
        <translation>中心信息</translation>
    </message>
    <message>
        <source>Optional</source>
        <translation>选填</translation>
    </message>
    <message>
        <source>Security policy</source>
        <translation>安全策略</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Discard unsaved changes and load the stored settings</source>
        <translation>放弃未保存的修改，重新载入已保存的设置</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Document numbers will read %1</source>
        <translation>文书编号将为：%1</translation>
    </message>
    <message>
        <source>Nothing changed.</source>
        <translation>没有需要保存的修改。</translation>
    </message>
    <message>
        <source>Settings saved.</source>
        <translation>设置已保存。</translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <source>Change password</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <source>Current password:</source>
        <translation>原密码：</translation>
    </message>
    <message>
        <source>Current password</source>
        <translation>原密码</translation>
    </message>
    <message>
        <source>New password:</source>
        <translation>新密码：</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>Repeat new password:</source>
        <translation>确认新密码：</translation>
    </message>
    <message>
        <source>Repeat new password</source>
        <translation>确认新密码</translation>
    </message>
</context>
<context>
    <name>Charts</name>
    <message>
        <source>No data</source>
        <translation>无数据</translation>
    </message>
</context>
<context>
    <name>CloseDialog</name>
    <message>
        <source>Close the complaint</source>
        <translation>办结投诉</translation>
    </message>
    <message>
        <source>Finding:</source>
        <translation>调查结论：</translation>
    </message>
    <message>
        <source>Finding</source>
        <translation>调查结论</translation>
    </message>
    <message>
        <source>(choose)</source>
        <translation>（请选择）</translation>
    </message>
    <message>
        <source>Reply template:</source>
        <translation>答复模板：</translation>
    </message>
    <message>
        <source>Reply template</source>
        <translation>答复模板</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Reply:</source>
        <translation>答复：</translation>
    </message>
    <message>
        <source>Reply to the complainant</source>
        <translation>给投诉人的答复</translation>
    </message>
    <message>
        <source>Internal note:</source>
        <translation>内部备注：</translation>
    </message>
    <message>
        <source>Internal note</source>
        <translation>内部备注</translation>
    </message>
    <message>
        <source>Deduct other points than the catalogue's</source>
        <translation>不按目录分值扣分</translation>
    </message>
    <message>
        <source>Deduction:</source>
        <translation>扣分：</translation>
    </message>
    <message>
        <source>Own deduction</source>
        <translation>自定扣分</translation>
    </message>
    <message>
        <source>Points:</source>
        <translation>分值：</translation>
    </message>
    <message>
        <source>Deduction points</source>
        <translation>扣分分值</translation>
    </message>
    <message>
        <source>The reply is printed on the result notice; the internal note stays in the case's history.</source>
        <translation>答复印在处理结果告知书上；内部备注只留在办理记录中。</translation>
    </message>
    <message>
        <source>Close the case</source>
        <translation>办结</translation>
    </message>
</context>
<context>
    <name>ComplaintExport</name>
    <message>
        <source>Export the list</source>
        <translation>导出列表</translation>
    </message>
    <message>
        <source>The list goes to %1. ID numbers, phones and addresses are masked unless you export them in clear; that is recorded in the audit log with your reason.</source>
        <translation>列表将导出到 %1。证件号码、联系电话和地址默认遮蔽；导出完整个人信息须填写原因，并记入审计日志。</translation>
    </message>
    <message>
        <source>Export personal data in &amp;clear</source>
        <translation>导出完整个人信息(&amp;C)</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>原因：</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Give the reason for exporting personal data in clear.</source>
        <translation>导出完整个人信息须填写原因。</translation>
    </message>
    <message>
        <source>complaints-%1.xlsx</source>
        <translation>投诉列表-%1.xlsx</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>%1 cases exported to %2.</source>
        <translation>已导出 %1 件投诉到 %2。</translation>
    </message>
</context>
<context>
    <name>ComplaintHandling</name>
    <message>
        <source>Case:</source>
        <translation>投诉：</translation>
    </message>
    <message>
        <source>%1 (%2), due %3</source>
        <translation>%1（%2），办结期限 %3</translation>
    </message>
    <message>
        <source>Credit record from complaint %1</source>
        <translation>根据投诉 %1 录入信用记录</translation>
    </message>
</context>
<context>
    <name>ComplaintIntake</name>
    <message>
        <source>Acceptance decision</source>
        <translation>受理决定</translation>
    </message>
    <message>
        <source>Handling decision</source>
        <translation>作出处理决定</translation>
    </message>
    <message>
        <source>Type a name, a code or pinyin initials</source>
        <translation>输入名称、代码或拼音首字母</translation>
    </message>
    <message>
        <source>Evidence files</source>
        <translation>证据文件</translation>
    </message>
    <message>
        <source>&amp;Add file…</source>
        <translation>添加文件(&amp;A)…</translation>
    </message>
    <message>
        <source>Remove fil&amp;e</source>
        <translation>移除文件(&amp;E)</translation>
    </message>
    <message>
        <source>Add evidence files</source>
        <translation>添加证据文件</translation>
    </message>
    <message>
        <source>{name} ({size})</source>
        <translation>{name}（{size}）</translation>
    </message>
    <message>
        <source>{n} bytes</source>
        <translation>{n} 字节</translation>
    </message>
    <message>
        <source>{n} KB</source>
        <translation>{n} KB</translation>
    </message>
    <message>
        <source>{n} MB</source>
        <translation>{n} MB</translation>
    </message>
    <message>
        <source>Possible duplicate</source>
        <translation>可能重复的投诉</translation>
    </message>
    <message>
        <source>This complaint may have been registered already. Link it to the case chosen below, save it as a new case, or go back to the form.</source>
        <translation>这件投诉可能已经登记过。可关联到下面选中的投诉，或仍作为新投诉保存，或返回表单。</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>收到时间</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Respondent</source>
        <translation>被投诉对象</translation>
    </message>
    <message>
        <source>Facts</source>
        <translation>投诉事实</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>相似原因</translation>
    </message>
    <message>
        <source>Possible duplicates</source>
        <translation>可能重复的投诉</translation>
    </message>
    <message>
        <source>&amp;Link to the chosen case</source>
        <translation>关联到选中的投诉(&amp;L)</translation>
    </message>
    <message>
        <source>Save as a &amp;new case</source>
        <translation>作为新投诉保存(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Back to the form</source>
        <translation>返回表单(&amp;B)</translation>
    </message>
</context>
<context>
    <name>ComplaintIntakeDialog</name>
    <message>
        <source>New complaint</source>
        <translation>投诉登记</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Ctrl+Enter saves and shows the receipt to print. Esc closes; what you typed is kept.</source>
        <translation>Ctrl+Enter 保存并显示回执以便打印。Esc 关闭，已输入的内容会保留。</translation>
    </message>
    <message>
        <source>C&amp;hannel:</source>
        <translation>投诉渠道(&amp;H)：</translation>
    </message>
    <message>
        <source>Received a&amp;t:</source>
        <translation>收到时间(&amp;T)：</translation>
    </message>
    <message>
        <source>First &amp;owner:</source>
        <translation>首问负责人(&amp;O)：</translation>
    </message>
    <message>
        <source>首问负责人: who took the complaint and owns it until it is handed on</source>
        <translation>首问负责人：接待投诉的人，在移交前对投诉负责</translation>
    </message>
    <message>
        <source>Anon&amp;ymous:</source>
        <translation>匿名(&amp;Y)：</translation>
    </message>
    <message>
        <source>The complainant gives no name</source>
        <translation>投诉人不留姓名</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>投诉人(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Phone:</source>
        <translation>联系电话(&amp;P)：</translation>
    </message>
    <message>
        <source>Mobile or landline, for the answer</source>
        <translation>手机或固定电话，用于告知处理结果</translation>
    </message>
    <message>
        <source>&amp;Unit:</source>
        <translation>单位(&amp;U)：</translation>
    </message>
    <message>
        <source>ID document type</source>
        <translation>证件类型</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>Optional</source>
        <translation>选填</translation>
    </message>
    <message>
        <source>&amp;ID document:</source>
        <translation>证件(&amp;I)：</translation>
    </message>
    <message>
        <source>A&amp;ddress:</source>
        <translation>联系地址(&amp;D)：</translation>
    </message>
    <message>
        <source>Respondent</source>
        <translation>被投诉对象</translation>
    </message>
    <message>
        <source>Respondent kind</source>
        <translation>被投诉对象类型</translation>
    </message>
    <message>
        <source>Window or respondent named</source>
        <translation>被投诉窗口或对象</translation>
    </message>
    <message>
        <source>Staff member complained about</source>
        <translation>被投诉的工作人员</translation>
    </message>
    <message>
        <source>Department complained about</source>
        <translation>被投诉的科室</translation>
    </message>
    <message>
        <source>Choose a department</source>
        <translation>选择科室</translation>
    </message>
    <message>
        <source>Market subject complained about</source>
        <translation>被投诉的市场主体</translation>
    </message>
    <message>
        <source>&amp;Respondent:</source>
        <translation>被投诉对象(&amp;R)：</translation>
    </message>
    <message>
        <source>Pro&amp;ject code:</source>
        <translation>项目编号(&amp;J)：</translation>
    </message>
    <message>
        <source>When it concerns a trade</source>
        <translation>涉及交易项目时填写</translation>
    </message>
    <message>
        <source>&amp;Category:</source>
        <translation>投诉类别(&amp;C)：</translation>
    </message>
    <message>
        <source>Choose (Down)</source>
        <translation>请选择（↓）</translation>
    </message>
    <message>
        <source>&amp;Facts:</source>
        <translation>投诉事实(&amp;F)：</translation>
    </message>
    <message>
        <source>Re&amp;quest:</source>
        <translation>诉求(&amp;Q)：</translation>
    </message>
    <message>
        <source>Time-limit class</source>
        <translation>时限类别</translation>
    </message>
    <message>
        <source>Working days</source>
        <translation>工作日数</translation>
    </message>
    <message>
        <source> working days</source>
        <translation> 个工作日</translation>
    </message>
    <message>
        <source>Ti&amp;me limit:</source>
        <translation>办理时限(&amp;M)：</translation>
    </message>
    <message>
        <source>Deadline:</source>
        <translation>办结期限：</translation>
    </message>
    <message>
        <source>&amp;Bid/procurement:</source>
        <translation>招投标/采购投诉(&amp;B)：</translation>
    </message>
    <message>
        <source>A complaint against a bid or procurement outcome is registered here and transferred to the supervising department, under its statutory clock</source>
        <translation>对招标投标或政府采购结果的投诉，在此登记后转行政监督部门，按法定时限办理</translation>
    </message>
    <message>
        <source>Statutory clock:</source>
        <translation>法定时限：</translation>
    </message>
    <message>
        <source>E&amp;vidence:</source>
        <translation>证据材料(&amp;V)：</translation>
    </message>
    <message>
        <source>Which window, e.g. Window 3</source>
        <translation>哪个窗口，如 3号窗口</translation>
    </message>
    <message>
        <source>Optional: whom the complaint is about</source>
        <translation>选填：投诉针对的对象</translation>
    </message>
    <message>
        <source>{deadline} (decision on acceptance by {acceptance})</source>
        <translation>{deadline}（受理决定不晚于 {acceptance}）</translation>
    </message>
    <message>
        <source>{what}: by {day}</source>
        <translation>{what}：{day}前</translation>
    </message>
    <message>
        <source>The file {name} cannot be read any more.</source>
        <translation>文件 {name} 已无法读取。</translation>
    </message>
    <message>
        <source>Unsaved complaint</source>
        <translation>未保存的投诉登记</translation>
    </message>
    <message>
        <source>A complaint was being registered and not saved (kept at {time}). Restore it?

Yes: continue with it. No: discard it and start a new one.</source>
        <translation>有一件投诉登记尚未保存（保存于 {time}）。是否恢复？

是：继续登记这件投诉。否：放弃它，重新登记。</translation>
    </message>
</context>
<context>
    <name>ComplaintLabels</name>
    <message>
        <source>At the window</source>
        <translation>窗口/现场</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Letter</source>
        <translation>信函</translation>
    </message>
    <message>
        <source>Suggestion box</source>
        <translation>意见箱</translation>
    </message>
    <message>
        <source>Online mailbox</source>
        <translation>网上举报信箱</translation>
    </message>
    <message>
        <source>12345 hotline transfer</source>
        <translation>12345转办</translation>
    </message>
    <message>
        <source>Bad rating</source>
        <translation>好差评差评</translation>
    </message>
    <message>
        <source>Service attitude</source>
        <translation>服务态度</translation>
    </message>
    <message>
        <source>Efficiency</source>
        <translation>办事效率</translation>
    </message>
    <message>
        <source>Improper fees</source>
        <translation>违规收费</translation>
    </message>
    <message>
        <source>Shirking and delay</source>
        <translation>推诿拖延</translation>
    </message>
    <message>
        <source>Discipline</source>
        <translation>纪律作风</translation>
    </message>
    <message>
        <source>System failure</source>
        <translation>系统故障</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>Registered</source>
        <translation>登记</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>受理</translation>
    </message>
    <message>
        <source>Not accepted</source>
        <translation>不予受理</translation>
    </message>
    <message>
        <source>Transferred</source>
        <translation>转办</translation>
    </message>
    <message>
        <source>Under investigation</source>
        <translation>调查处理</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>办结</translation>
    </message>
    <message>
        <source>Followed up</source>
        <translation>回访</translation>
    </message>
    <message>
        <source>Accept</source>
        <translation>受理</translation>
    </message>
    <message>
        <source>Do not accept</source>
        <translation>不予受理</translation>
    </message>
    <message>
        <source>Transfer</source>
        <translation>转办</translation>
    </message>
    <message>
        <source>Start investigation</source>
        <translation>开始调查处理</translation>
    </message>
    <message>
        <source>Close with reply</source>
        <translation>办结</translation>
    </message>
    <message>
        <source>Follow-up visit</source>
        <translation>回访</translation>
    </message>
    <message>
        <source>Founded</source>
        <translation>属实</translation>
    </message>
    <message>
        <source>Partly founded</source>
        <translation>部分属实</translation>
    </message>
    <message>
        <source>Unfounded</source>
        <translation>不属实</translation>
    </message>
    <message>
        <source>Very satisfied</source>
        <translation>非常满意</translation>
    </message>
    <message>
        <source>Satisfied</source>
        <translation>满意</translation>
    </message>
    <message>
        <source>Fairly satisfied</source>
        <translation>基本满意</translation>
    </message>
    <message>
        <source>Dissatisfied</source>
        <translation>不满意</translation>
    </message>
    <message>
        <source>Very dissatisfied</source>
        <translation>非常不满意</translation>
    </message>
    <message>
        <source>Simple</source>
        <translation>简易</translation>
    </message>
    <message>
        <source>General</source>
        <translation>一般</translation>
    </message>
    <message>
        <source>Complex</source>
        <translation>复杂</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Bidding complaint (statutory)</source>
        <translation>招标投标投诉（依法转办）</translation>
    </message>
    <message>
        <source>Procurement complaint (statutory)</source>
        <translation>政府采购投诉（依法转办）</translation>
    </message>
    <message>
        <source>Staff member</source>
        <translation>工作人员</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>科室</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>Market subject</source>
        <translation>市场主体</translation>
    </message>
    <message>
        <source>Not named</source>
        <translation>未指明</translation>
    </message>
    <message>
        <source>Resident ID card</source>
        <translation>居民身份证</translation>
    </message>
    <message>
        <source>Passport</source>
        <translation>护照</translation>
    </message>
    <message>
        <source>Other document</source>
        <translation>其他证件</translation>
    </message>
    <message>
        <source>Complaint founded</source>
        <translation>投诉属实</translation>
    </message>
    <message>
        <source>Closed after the deadline</source>
        <translation>超期办结</translation>
    </message>
    <message>
        <source>Waiting for approval</source>
        <translation>待审批</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>已批准</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>未批准</translation>
    </message>
    <message>
        <source>Simple case time limit (working days)</source>
        <translation>简易件办理时限（工作日）</translation>
    </message>
    <message>
        <source>General case time limit (working days)</source>
        <translation>一般件办理时限（工作日）</translation>
    </message>
    <message>
        <source>Complex case time limit (working days)</source>
        <translation>复杂件办理时限（工作日）</translation>
    </message>
    <message>
        <source>Time to decide on acceptance (working days)</source>
        <translation>受理决定时限（工作日）</translation>
    </message>
    <message>
        <source>Points for a founded complaint (staff member)</source>
        <translation>投诉属实扣分（工作人员）</translation>
    </message>
    <message>
        <source>Points for closing after the deadline (handler)</source>
        <translation>超期办结扣分（承办人）</translation>
    </message>
    <message>
        <source>Bad rating: contact the rater within (working days)</source>
        <translation>差评回访联系时限（工作日）</translation>
    </message>
    <message>
        <source>Bad rating: rectify within (working days)</source>
        <translation>差评整改时限（工作日）</translation>
    </message>
    <message>
        <source>Bidding complaint: time to accept (working days)</source>
        <translation>招投标投诉受理时限（工作日）</translation>
    </message>
    <message>
        <source>Bidding complaint: time to decide (working days)</source>
        <translation>招投标投诉处理时限（工作日）</translation>
    </message>
    <message>
        <source>Procurement complaint: time to decide (working days)</source>
        <translation>政府采购投诉处理时限（工作日）</translation>
    </message>
    <message>
        <source>Duplicate check looks back (calendar days)</source>
        <translation>重复投诉比对天数（自然日）</translation>
    </message>
</context>
<context>
    <name>ComplaintReveal</name>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>联系地址</translation>
    </message>
    <message>
        <source>View personal data</source>
        <translation>查看个人信息明文</translation>
    </message>
    <message>
        <source>Your account may not view personal data in clear.</source>
        <translation>您的账户无权查看个人信息明文。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
</context>
<context>
    <name>ComplaintRevealDialog</name>
    <message>
        <source>View personal data</source>
        <translation>查看个人信息明文</translation>
    </message>
    <message>
        <source>Viewing the complainant's data of %1 in clear is recorded in the audit log with your reason.</source>
        <translation>查看投诉 %1 的投诉人个人信息明文，将连同您填写的原因记入审计日志。</translation>
    </message>
    <message>
        <source>What:</source>
        <translation>查看内容：</translation>
    </message>
    <message>
        <source>What to view</source>
        <translation>查看内容</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>原因：</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>查看原因</translation>
    </message>
    <message>
        <source>e.g. 回电核实情况</source>
        <translation>例如 回电核实情况</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>查看明文</translation>
    </message>
</context>
<context>
    <name>ComplaintRulesTab</name>
    <message>
        <source>Complaints rules</source>
        <translation>投诉规则</translation>
    </message>
    <message>
        <source>&amp;Set from a date…</source>
        <translation>自某日起调整(&amp;S)…</translation>
    </message>
    <message>
        <source>Change the selected figure from a date on; earlier days keep theirs (Ctrl+N)</source>
        <translation>自某日起调整所选项目的取值；此前各日仍按原值（Ctrl+N）</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>%1: %2 from %3.</source>
        <translation>%1：自 %3 起为 %2。</translation>
    </message>
</context>
<context>
    <name>ComplaintStatsView</name>
    <message>
        <source>&amp;Month:</source>
        <translation>统计月份(&amp;M)：</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>统计月份</translation>
    </message>
    <message>
        <source>&amp;Print table report…</source>
        <translation>打印统计表(&amp;P)…</translation>
    </message>
    <message>
        <source>Figures of the month</source>
        <translation>本月统计数据</translation>
    </message>
    <message>
        <source>Figure</source>
        <translation>统计项</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>分项</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>件数</translation>
    </message>
    <message>
        <source>Share / rate</source>
        <translation>占比 / 比率</translation>
    </message>
    <message>
        <source> cases</source>
        <comment>value suffix on the charts' scale</comment>
        <translation>件</translation>
    </message>
    <message>
        <source>Received by category</source>
        <translation>各类别投诉件数</translation>
    </message>
    <message>
        <source>Received by channel</source>
        <translation>各渠道投诉件数</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>收到投诉</translation>
    </message>
    <message>
        <source>By category</source>
        <translation>按类别</translation>
    </message>
    <message>
        <source>By channel</source>
        <translation>按渠道</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>办结</translation>
    </message>
    <message>
        <source>On time</source>
        <translation>按期办结</translation>
    </message>
    <message>
        <source>Late</source>
        <translation>超期办结</translation>
    </message>
    <message>
        <source>Finding</source>
        <translation>办结结果</translation>
    </message>
    <message>
        <source>Open and overdue</source>
        <translation>逾期未办结</translation>
    </message>
    <message>
        <source>Received this month</source>
        <translation>本月收到件</translation>
    </message>
    <message>
        <source>Follow-up visits</source>
        <translation>回访</translation>
    </message>
    <message>
        <source>Rating</source>
        <translation>回访评价</translation>
    </message>
    <message>
        <source>Satisfied (incl. fairly)</source>
        <translation>满意（含基本满意）</translation>
    </message>
    <message>
        <source>Received %1 · closed %2 · on-time rate %3 · satisfaction %4 · open and overdue %5</source>
        <translation>收到 %1 件 · 办结 %2 件 · 按期办结率 %3 · 满意率 %4 · 逾期未办结 %5 件</translation>
    </message>
</context>
<context>
    <name>ComplaintsPage</name>
    <message>
        <source>Cases</source>
        <translation>投诉列表</translation>
    </message>
    <message>
        <source>Statistics</source>
        <translation>统计</translation>
    </message>
    <message>
        <source>Number or lookup code</source>
        <translation>编号或查询码</translation>
    </message>
    <message>
        <source>Number or lookup code, Enter</source>
        <translation>编号或查询码，回车打开</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>Search the facts, names, respondent (Ctrl+F)</source>
        <translation>搜索投诉事项、姓名、被投诉对象（Ctrl+F）</translation>
    </message>
    <message>
        <source>Received from</source>
        <translation>收到日期自</translation>
    </message>
    <message>
        <source>Received until</source>
        <translation>收到日期至</translation>
    </message>
    <message>
        <source>Mine</source>
        <translation>我的</translation>
    </message>
    <message>
        <source>Cases I received, handle or supervise</source>
        <translation>我接收、承办或分管的投诉</translation>
    </message>
    <message>
        <source>Received:</source>
        <translation>收到日期：</translation>
    </message>
    <message>
        <source>New complaint…</source>
        <translation>登记投诉…</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>E&amp;xport…</source>
        <translation>导出(&amp;X)…</translation>
    </message>
    <message>
        <source>Save the cases the filters show to an Excel file</source>
        <translation>把筛选出的投诉保存为 Excel 文件</translation>
    </message>
    <message>
        <source>All states</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>全部类别</translation>
    </message>
    <message>
        <source>All channels</source>
        <translation>全部渠道</translation>
    </message>
    <message>
        <source>All departments</source>
        <translation>全部科室</translation>
    </message>
    <message>
        <source>All handlers</source>
        <translation>全部承办人</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>已超期</translation>
    </message>
    <message>
        <source>Due within a day</source>
        <translation>一日内到期</translation>
    </message>
    <message>
        <source>Complaints</source>
        <translation>投诉列表</translation>
    </message>
    <message>
        <source> (provisional)</source>
        <translation>（暂定）</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>收到时间</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Respondent</source>
        <translation>被投诉对象</translation>
    </message>
    <message>
        <source>Complainant</source>
        <translation>投诉人</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>承办科室</translation>
    </message>
    <message>
        <source>Handler</source>
        <translation>承办人</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>办结期限</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>结论</translation>
    </message>
    <message numerus="yes">
        <source>%n case(s)</source>
        <translation>
            <numerusform>