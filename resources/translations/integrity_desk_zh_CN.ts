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
        <source>Evaluation items</source>
        <translation>专家考评项目</translation>
    </message>
    <message>
        <source>Scoring schemes</source>
        <translation>考核方案</translation>
    </message>
    <message>
        <source>Working-day calendar</source>
        <translation>工作日历</translation>
    </message>
</context>
<context>
    <name>AnnualTab</name>
    <message>
        <source>Annual summary</source>
        <translation>年度汇总</translation>
    </message>
    <message>
        <source>Name, department (Ctrl+F)</source>
        <translation>姓名、科室（Ctrl+F）</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>年度</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>No locked month in this year yet.</source>
        <translation>本年度尚无已锁定的月份。</translation>
    </message>
</context>
<context>
    <name>AnnualTableModel</name>
    <message>
        <source>Department</source>
        <translation>科室</translation>
    </message>
    <message>
        <source>Staff member</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Post</source>
        <translation>岗位</translation>
    </message>
    <message>
        <source>Months</source>
        <translation>月数</translation>
    </message>
    <message>
        <source>Average</source>
        <translation>平均分</translation>
    </message>
    <message>
        <source>Grade</source>
        <translation>等次</translation>
    </message>
    <message>
        <source>Veto</source>
        <translation>否决</translation>
    </message>
    <message>
        <source>veto</source>
        <translation>否决</translation>
    </message>
    <message>
        <source>Department's quota</source>
        <translation>科室优秀名额</translation>
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
    <name>BandsDialog</name>
    <message>
        <source>New grade bands</source>
        <translation>新的等次分数线</translation>
    </message>
    <message>
        <source>Effective from (&amp;month):</source>
        <translation>起始月份(&amp;M)：</translation>
    </message>
    <message>
        <source>Effective from</source>
        <translation>起始月份</translation>
    </message>
    <message>
        <source>e.g. %1</source>
        <translation>例如 %1</translation>
    </message>
    <message>
        <source>&amp;Monthly bands:</source>
        <translation>月度等次(&amp;M)：</translation>
    </message>
    <message>
        <source>Below them:</source>
        <translation>以下等次：</translation>
    </message>
    <message>
        <source>A &amp;veto caps at:</source>
        <translation>否决封顶等次(&amp;V)：</translation>
    </message>
    <message>
        <source>&amp;Quota grade:</source>
        <translation>限额等次(&amp;Q)：</translation>
    </message>
    <message>
        <source>Quota &amp;share:</source>
        <translation>限额比例(&amp;S)：</translation>
    </message>
    <message>
        <source>Quota share</source>
        <translation>限额比例</translation>
    </message>
    <message>
        <source>At least one from:</source>
        <translation>至少一名的科室人数：</translation>
    </message>
    <message>
        <source>At least one from</source>
        <translation>至少一名的科室人数</translation>
    </message>
    <message>
        <source> staff</source>
        <translation> 人</translation>
    </message>
    <message>
        <source>Q&amp;uarterly bands:</source>
        <translation>季度等次(&amp;U)：</translation>
    </message>
    <message>
        <source>Below them (quarter):</source>
        <translation>季度以下等次：</translation>
    </message>
    <message>
        <source>A&amp;nnual bands:</source>
        <translation>年度等次(&amp;N)：</translation>
    </message>
    <message>
        <source>Below them (year):</source>
        <translation>年度以下等次：</translation>
    </message>
    <message>
        <source>Bands: grade:lowest total, best first, e.g. 优秀:95,良好:85,合格:70,基本合格:60.</source>
        <translation>分数线写作“等次:最低分”，由高到低，例如 优秀:95,良好:85,合格:70,基本合格:60。</translation>
    </message>
</context>
<context>
    <name>BandsSection</name>
    <message>
        <source>Grade bands and quota</source>
        <translation>等次与限额</translation>
    </message>
    <message>
        <source>Grades and quota</source>
        <translation>等次与优秀限额</translation>
    </message>
    <message>
        <source>New &amp;bands from a month…</source>
        <translation>自某月起的新分数线(&amp;B)…</translation>
    </message>
    <message>
        <source>Change the bands or the quota</source>
        <translation>修改等次分数线或优秀限额</translation>
    </message>
</context>
<context>
    <name>BandsTableModel</name>
    <message>
        <source>From</source>
        <translation>起始月份</translation>
    </message>
    <message>
        <source>Monthly grades</source>
        <translation>月度等次</translation>
    </message>
    <message>
        <source>Excellent quota</source>
        <translation>优秀限额</translation>
    </message>
    <message>
        <source>%1 %2% (at least 1 from %3 staff)</source>
        <translation>%1 %2%（%3 人以上至少 1 名）</translation>
    </message>
    <message>
        <source>Veto caps at</source>
        <translation>否决封顶</translation>
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
    <name>CalibrationTab</name>
    <message>
        <source>Calibration</source>
        <translation>校准</translation>
    </message>
    <message>
        <source>Red: well above the center (lenient); amber: well below (harsh). Look before locking.</source>
        <translation>红色：明显高于全中心（偏宽）；黄色：明显低于全中心（偏严）。锁定前请先查看。</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>No sheet in this month yet.</source>
        <translation>本月尚无评分表。</translation>
    </message>
</context>
<context>
    <name>CalibrationTableModel</name>
    <message>
        <source>Department</source>
        <translation>科室</translation>
    </message>
    <message>
        <source>The center</source>
        <translation>全中心</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>人数</translation>
    </message>
    <message>
        <source>Average</source>
        <translation>平均分</translation>
    </message>
    <message>
        <source>Beside the center</source>
        <translation>与全中心差</translation>
    </message>
    <message>
        <source>Spread</source>
        <translation>标准差</translation>
    </message>
    <message>
        <source>Lowest – highest</source>
        <translation>最低 – 最高</translation>
    </message>
    <message>
        <source>Excellent</source>
        <translation>优秀</translation>
    </message>
    <message>
        <source>Quota</source>
        <translation>名额</translation>
    </message>
    <message>
        <source>Reading</source>
        <translation>判断</translation>
    </message>
</context>
<context>
    <name>CandidateTableModel</name>
    <message>
        <source>Rank</source>
        <translation>名次</translation>
    </message>
    <message>
        <source>Staff member</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>科室</translation>
    </message>
    <message>
        <source>Average</source>
        <translation>平均分</translation>
    </message>
    <message>
        <source>Candidate</source>
        <translation>候选</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>excluded</source>
        <translation>排除</translation>
    </message>
    <message>
        <source>Why excluded</source>
        <translation>排除原因</translation>
    </message>
</context>
<context>
    <name>CandidatesSection</name>
    <message>
        <source>Honour candidates</source>
        <translation>标兵候选</translation>
    </message>
    <message>
        <source>Service model post (服务示范岗标兵) candidates</source>
        <translation>服务示范岗标兵候选人</translation>
    </message>
    <message>
        <source>No locked month in this quarter yet.</source>
        <translation>本季度尚无已锁定的月份。</translation>
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
    <name>ChartsTab</name>
    <message>
        <source>&amp;Staff member:</source>
        <translation>人员(&amp;S)：</translation>
    </message>
    <message>
        <source>Staff member</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Last 12 months</source>
        <translation>近 12 个月</translation>
    </message>
    <message>
        <source>Grades by department</source>
        <translation>各科室等次分布</translation>
    </message>
    <message>
        <source>%1: the 12 months up to %2</source>
        <translation>%1：截至 %2 的 12 个月</translation>
    </message>
    <message>
        <source>Department average</source>
        <translation>科室平均</translation>
    </message>
    <message>
        <source>Grades by department, %1</source>
        <translation>各科室等次分布（%1）</translation>
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
            <numerusform>共 %n 件</numerusform>
        </translation>
    </message>
    <message>
        <source>Follow up</source>
        <translation>跟进整改</translation>
    </message>
    <message>
        <source>Assign</source>
        <translation>分派</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>内部备注</translation>
    </message>
    <message>
        <source>More time</source>
        <translation>申请延期</translation>
    </message>
    <message>
        <source>Decide extension</source>
        <translation>审批延期</translation>
    </message>
    <message>
        <source>Credit record</source>
        <translation>录入信用记录</translation>
    </message>
    <message>
        <source>Personal data</source>
        <translation>查看个人信息</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>回执</translation>
    </message>
    <message>
        <source>Result notice</source>
        <translation>结果告知书</translation>
    </message>
    <message>
        <source>Save a copy of the evidence</source>
        <translation>另存证据材料副本</translation>
    </message>
    <message>
        <source>The copy could not be saved: %1</source>
        <translation>无法保存副本：%1</translation>
    </message>
    <message>
        <source>Saved to %1. Open it now?</source>
        <translation>已保存到 %1。现在打开吗？</translation>
    </message>
</context>
<context>
    <name>ConfirmDialog</name>
    <message>
        <source>Confirm proposal</source>
        <translation>确认处理建议</translation>
    </message>
    <message>
        <source>&amp;Authority:</source>
        <translation>决定机关(&amp;A)：</translation>
    </message>
    <message>
        <source>Authority</source>
        <translation>决定机关</translation>
    </message>
    <message>
        <source>The supervising department that decided</source>
        <translation>作出决定的监督管理部门</translation>
    </message>
    <message>
        <source>Decision &amp;number:</source>
        <translation>决定文号(&amp;N)：</translation>
    </message>
    <message>
        <source>Decision number</source>
        <translation>决定文号</translation>
    </message>
    <message>
        <source>Decision &amp;date:</source>
        <translation>决定日期(&amp;D)：</translation>
    </message>
    <message>
        <source>Decision date</source>
        <translation>决定日期</translation>
    </message>
    <message>
        <source>Suspended &amp;from:</source>
        <translation>暂停起始(&amp;F)：</translation>
    </message>
    <message>
        <source>Suspended from</source>
        <translation>暂停起始日</translation>
    </message>
    <message>
        <source>Suspended &amp;until:</source>
        <translation>暂停截止(&amp;U)：</translation>
    </message>
    <message>
        <source>Suspended until</source>
        <translation>暂停截止日</translation>
    </message>
    <message>
        <source>N&amp;ote:</source>
        <translation>备注(&amp;O)：</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Confirm</source>
        <translation>确认</translation>
    </message>
    <message>
        <source>%1 (%2), %3: %4 points in %5 — %6.</source>
        <translation>%1（%2），%3：%5年累计扣分 %4 分——%6。</translation>
    </message>
    <message>
        <source>The suspension becomes a ban record in the expert's credit file; the entry lookup shows it.</source>
        <translation>暂停将作为禁止类记录记入该专家的信用档案，入场查询即显示。</translation>
    </message>
</context>
<context>
    <name>ConfirmationsPage</name>
    <message>
        <source>Accounts to confirm</source>
        <translation>待确认的账户</translation>
    </message>
    <message>
        <source>Confirm</source>
        <translation>确认</translation>
    </message>
    <message>
        <source>Decline</source>
        <translation>驳回</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Account confirmations</source>
        <translation>账户确认</translation>
    </message>
    <message>
        <source>No account is waiting for your confirmation.</source>
        <translation>没有等待您确认的账户。</translation>
    </message>
    <message>
        <source>Put into effect the roles “%2” of account “%1”?</source>
        <translation>确认使账户“%1”的角色“%2”生效？</translation>
    </message>
    <message>
        <source>Decline the roles “%2” asked for account “%1”? It keeps the roles it has.</source>
        <translation>驳回为账户“%1”设置的角色“%2”？该账户保留其现有角色。</translation>
    </message>
    <message>
        <source>Confirm roles</source>
        <translation>确认角色</translation>
    </message>
    <message>
        <source>Decline roles</source>
        <translation>驳回角色</translation>
    </message>
    <message>
        <source>Roles of “%1” confirmed.</source>
        <translation>账户“%1”的角色已生效。</translation>
    </message>
    <message>
        <source>Roles of “%1” declined.</source>
        <translation>已驳回账户“%1”的角色。</translation>
    </message>
</context>
<context>
    <name>ContestDecisionDialog</name>
    <message>
        <source>Uphold the line</source>
        <translation>维持该项</translation>
    </message>
    <message>
        <source>Withdraw the line</source>
        <translation>撤销该项</translation>
    </message>
    <message>
        <source>%1, %2 %3 points (%4). The supervisor's reason: %5</source>
        <translation>%1，%2 %3 分（%4）。科室负责人申诉理由：%5</translation>
    </message>
    <message>
        <source>&amp;Note:</source>
        <translation>说明(&amp;N)：</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Uphold</source>
        <translation>维持</translation>
    </message>
    <message>
        <source>Withdraw</source>
        <translation>撤销</translation>
    </message>
</context>
<context>
    <name>ContestTableModel</name>
    <message>
        <source>Department</source>
        <translation>科室</translation>
    </message>
    <message>
        <source>Staff member</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>考核项目</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>分值</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Supervisor's reason</source>
        <translation>科室负责人申诉理由</translation>
    </message>
</context>
<context>
    <name>ContestsTab</name>
    <message>
        <source>Contests to decide</source>
        <translation>待裁决的申诉</translation>
    </message>
    <message>
        <source>Name, department, case (Ctrl+F)</source>
        <translation>姓名、科室、案件编号（Ctrl+F）</translation>
    </message>
    <message>
        <source>&amp;Uphold…</source>
        <translation>维持(&amp;U)…</translation>
    </message>
    <message>
        <source>The line counts</source>
        <translation>该项计入总分</translation>
    </message>
    <message>
        <source>&amp;Withdraw…</source>
        <translation>撤销(&amp;W)…</translation>
    </message>
    <message>
        <source>The line does not count; its link to the source stays</source>
        <translation>该项不计入总分，与来源的关联保留</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>No contest waits in this month.</source>
        <translation>本月没有待裁决的申诉。</translation>
    </message>
    <message>
        <source>%1's line is upheld.</source>
        <translation>已维持%1的该项扣分。</translation>
    </message>
    <message>
        <source>%1's line is withdrawn.</source>
        <translation>已撤销%1的该项。</translation>
    </message>
</context>
<context>
    <name>Cover</name>
    <message>
        <source>Locked</source>
        <translation>已锁定</translation>
    </message>
</context>
<context>
    <name>CreditCatalogueTab</name>
    <message>
        <source>Credit catalogue</source>
        <translation>信用目录</translation>
    </message>
    <message>
        <source>New version from a date…</source>
        <translation>自某日起新版本…</translation>
    </message>
    <message>
        <source>Change the defaults from a date on; earlier records keep theirs</source>
        <translation>自某日起修改默认值；此前的记录保持原值</translation>
    </message>
    <message>
        <source>Correct this version…</source>
        <translation>更正此版本…</translation>
    </message>
    <message>
        <source>Fix a version entered wrongly</source>
        <translation>更正录入有误的版本</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>%1 (%2) from %3 saved.</source>
        <translation>%1（%2）自 %3 起的版本已保存。</translation>
    </message>
</context>
<context>
    <name>CreditEditing</name>
    <message>
        <source>Record saved</source>
        <translation>记录已保存</translation>
    </message>
    <message>
        <source>The record is saved and waits for a center leader's confirmation. It does not bar entry until a leader confirms it.</source>
        <translation>记录已保存，等待中心领导确认。领导确认前，该记录不影响入场。</translation>
    </message>
    <message>
        <source>Confirm record</source>
        <translation>确认记录</translation>
    </message>
    <message>
        <source>Confirm this record? It takes effect now and bars entry while in force.

%1</source>
        <translation>确认此记录吗？确认后立即生效，有效期内禁止入场。

%1</translation>
    </message>
    <message>
        <source>Decline record</source>
        <translation>不予确认</translation>
    </message>
    <message>
        <source>Not confirming: %1
The record stays in the file as “not confirmed” and never counts.</source>
        <translation>不予确认：%1
该记录保留在档案中，标为“未获确认”，不产生任何效力。</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>理由：</translation>
    </message>
    <message>
        <source>Decline</source>
        <translation>不予确认</translation>
    </message>
    <message>
        <source>Revoking: %1
A revoked record stays in the file, greyed, and never counts again.</source>
        <translation>撤销：%1
撤销的记录保留在档案中（灰色显示），不再产生效力。</translation>
    </message>
    <message>
        <source>Revoking a ban or serious-list record in effect needs a center leader.</source>
        <translation>撤销已生效的禁止入场或严重失信记录须由中心领导办理。</translation>
    </message>
    <message>
        <source>Revoke record</source>
        <translation>撤销记录</translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>e.g. 录入错误；原处罚决定已被撤销</source>
        <translation>例如 录入错误；原处罚决定已被撤销</translation>
    </message>
    <message>
        <source>Attach a file</source>
        <translation>添加附件</translation>
    </message>
    <message>
        <source>Documents (*.pdf *.jpg *.jpeg *.png *.doc *.docx *.xls *.xlsx *.ofd);;All files (*)</source>
        <translation>文档 (*.pdf *.jpg *.jpeg *.png *.doc *.docx *.xls *.xlsx *.ofd);;所有文件 (*)</translation>
    </message>
    <message>
        <source>An attachment may not exceed 20 MB.</source>
        <translation>附件不能超过 20 MB。</translation>
    </message>
    <message>
        <source>The file could not be read: %1</source>
        <translation>无法读取该文件：%1</translation>
    </message>
    <message>
        <source>Save a copy of the attachment</source>
        <translation>保存附件副本</translation>
    </message>
    <message>
        <source>The copy could not be saved: %1</source>
        <translation>无法保存副本：%1</translation>
    </message>
    <message>
        <source>Saved to %1. Open it now?</source>
        <translation>已保存到 %1。现在打开吗？</translation>
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
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>(not recorded)</source>
        <translation>（未登记）</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
</context>
<context>
    <name>CreditFilesPage</name>
    <message>
        <source>New subject…</source>
        <translation>新建主体…</translation>
    </message>
    <message>
        <source>Register a company or person (Ctrl+N)</source>
        <translation>登记单位或个人（Ctrl+N）</translation>
    </message>
    <message>
        <source>Import subjects…</source>
        <translation>导入主体…</translation>
    </message>
    <message>
        <source>Register many subjects from a spreadsheet</source>
        <translation>从电子表格批量登记主体</translation>
    </message>
    <message>
        <source>Import records…</source>
        <translation>导入记录…</translation>
    </message>
    <message>
        <source>Enter many records from a spreadsheet</source>
        <translation>从电子表格批量录入记录</translation>
    </message>
    <message>
        <source>Save import template…</source>
        <translation>保存导入模板…</translation>
    </message>
    <message>
        <source>Save an empty spreadsheet with the columns the import expects</source>
        <translation>保存一份含导入所需各列的空白表格</translation>
    </message>
    <message>
        <source>Credit files</source>
        <translation>信用档案</translation>
    </message>
    <message>
        <source>Awaiting leader confirmation</source>
        <translation>待领导确认</translation>
    </message>
    <message>
        <source>Recently changed</source>
        <translation>最近变更</translation>
    </message>
    <message>
        <source>Subject “%1” registered.</source>
        <translation>主体“%1”已登记。</translation>
    </message>
    <message>
        <source>New subject</source>
        <translation>新建主体</translation>
    </message>
    <message>
        <source>“%1” is registered. Enter a record in its file now?</source>
        <translation>“%1”已登记。现在为其录入信用记录吗？</translation>
    </message>
    <message>
        <source>Record of “%1” saved.</source>
        <translation>“%1”的记录已保存。</translation>
    </message>
    <message>
        <source>Template for subjects</source>
        <translation>主体导入模板</translation>
    </message>
    <message>
        <source>Template for records</source>
        <translation>记录导入模板</translation>
    </message>
</context>
<context>
    <name>CreditLabels</name>
    <message>
        <source>Agency</source>
        <translation>代理机构</translation>
    </message>
    <message>
        <source>Bidder</source>
        <translation>投标人</translation>
    </message>
    <message>
        <source>Supplier</source>
        <translation>供应商</translation>
    </message>
    <message>
        <source>Buyer</source>
        <translation>竞买人</translation>
    </message>
    <message>
        <source>Evaluation expert</source>
        <translation>评标专家</translation>
    </message>
    <message>
        <source>Staff member</source>
        <translation>工作人员</translation>
    </message>
    <message>
        <source>Good conduct</source>
        <translation>良好</translation>
    </message>
    <message>
        <source>Bad conduct</source>
        <translation>不良行为</translation>
    </message>
    <message>
        <source>Serious dishonesty list</source>
        <translation>严重失信</translation>
    </message>
    <message>
        <source>Entry ban</source>
        <translation>禁止入场</translation>
    </message>
    <message>
        <source>Expert deduction</source>
        <translation>专家扣分</translation>
    </message>
    <message>
        <source>Staff integrity record</source>
        <translation>工作人员诚信记录</translation>
    </message>
    <message>
        <source>Minor</source>
        <translation>轻微</translation>
    </message>
    <message>
        <source>General</source>
        <translation>一般</translation>
    </message>
    <message>
        <source>Serious</source>
        <translation>严重</translation>
    </message>
    <message>
        <source>Not graded</source>
        <translation>不分等级</translation>
    </message>
    <message>
        <source>Awaiting leader confirmation</source>
        <translation>待领导确认</translation>
    </message>
    <message>
        <source>In effect</source>
        <translation>已生效</translation>
    </message>
    <message>
        <source>Not confirmed</source>
        <translation>未获确认</translation>
    </message>
    <message>
        <source>Repaired</source>
        <translation>已修复</translation>
    </message>
    <message>
        <source>Revoked</source>
        <translation>已撤销</translation>
    </message>
    <message>
        <source>In the pool</source>
        <translation>在库</translation>
    </message>
    <message>
        <source>Suspended from draws</source>
        <translation>暂停抽取</translation>
    </message>
    <message>
        <source>Removed</source>
        <translation>已清退</translation>
    </message>
    <message>
        <source>Former name</source>
        <translation>曾用名</translation>
    </message>
    <message>
        <source>Short name</source>
        <translation>简称</translation>
    </message>
    <message>
        <source>Awaiting decision</source>
        <translation>待决定</translation>
    </message>
    <message>
        <source>Repair granted</source>
        <translation>准予修复</translation>
    </message>
    <message>
        <source>Repair refused</source>
        <translation>不予修复</translation>
    </message>
    <message>
        <source>In force</source>
        <translation>生效中</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>未开始</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>已到期</translation>
    </message>
    <message>
        <source>Subject found</source>
        <translation>已确定主体</translation>
    </message>
    <message>
        <source>Not on file</source>
        <translation>档案中没有</translation>
    </message>
    <message>
        <source>Repeated line</source>
        <translation>重复行</translation>
    </message>
    <message>
        <source>Name of several subjects</source>
        <translation>名称对应多个主体</translation>
    </message>
    <message>
        <source>Code and name disagree</source>
        <translation>代码与名称不符</translation>
    </message>
    <message>
        <source>Only similar names</source>
        <translation>只有相近名称</translation>
    </message>
    <message>
        <source>Line to correct</source>
        <translation>有误，须改正</translation>
    </message>
</context>
<context>
    <name>CreditLookup</name>
    <message>
        <source>No entry</source>
        <translation>禁止入场</translation>
    </message>
    <message>
        <source>Has bad records</source>
        <translation>有不良记录</translation>
    </message>
    <message>
        <source>May enter</source>
        <translation>可入场</translation>
    </message>
    <message>
        <source>Not found</source>
        <translation>未找到</translation>
    </message>
    <message>
        <source>Data check failed — contact the audit administrator</source>
        <translation>数据校验失败 — 请联系审计管理员</translation>
    </message>
    <message>
        <source>formerly: {alias}</source>
        <translation>曾用名：{alias}</translation>
    </message>
    <message>
        <source>{score} / {grade} while barred</source>
        <translation>{score} 分 / {grade}（禁入期间）</translation>
    </message>
    <message>
        <source>{score} / {grade}</source>
        <translation>{score} 分 / {grade}</translation>
    </message>
    <message>
        <source>{score} points. While the ban lasts the grade is {grade}, whatever the score. For information only: the verdict decides entry.</source>
        <translation>{score} 分。禁止入场期间，无论分数高低，等级均按 {grade} 级计。仅供参考，能否入场以结论为准。</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结论</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>USCC / ID number</source>
        <translation>统一社会信用代码/身份证号</translation>
    </message>
    <message>
        <source>Score / grade</source>
        <translation>信用分/等级</translation>
    </message>
    <message>
        <source>Check and print</source>
        <translation>登记核验</translation>
    </message>
    <message>
        <source>Notice {number} for “{name}” was issued at {time}.</source>
        <translation>“{name}”的告知单 {number} 已于 {time} 出具。</translation>
    </message>
    <message>
        <source>Reprint it (marked 补打, same number), or record a new check with a new notice number?</source>
        <translation>补打该告知单（原编号，标注“补打”），还是重新登记核验并出具新编号的告知单？</translation>
    </message>
    <message>
        <source>&amp;Reprint {number}</source>
        <translation>补打 {number}(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;New notice</source>
        <translation>出具新告知单(&amp;N)</translation>
    </message>
</context>
<context>
    <name>CreditLookupPage</name>
    <message>
        <source>Credit lookup</source>
        <translation>信用查询</translation>
    </message>
    <message>
        <source>Search credit files</source>
        <translation>查询信用档案</translation>
    </message>
    <message>
        <source>Name, former name, USCC, ID number or pinyin initials (Ctrl+F)</source>
        <translation>名称、曾用名、统一社会信用代码、身份证号或拼音首字母（Ctrl+F）</translation>
    </message>
    <message>
        <source>Results appear as you type. Down moves into the results; Ctrl+P records the check.</source>
        <translation>边输入边显示结果。按↓进入结果列表；按 Ctrl+P 登记核验。</translation>
    </message>
    <message>
        <source>Check and print (Ctrl+P)</source>
        <translation>登记核验并打印（Ctrl+P）</translation>
    </message>
    <message>
        <source>Check and print</source>
        <translation>登记核验并打印</translation>
    </message>
    <message>
        <source>Record this check at the desk and print the credit check notice for the selected result, or a “not found” notice when nothing matches.</source>
        <translation>登记本次核验，并为选中的结果打印信用查询结果告知单；没有相符结果时打印“未找到”的告知单。</translation>
    </message>
    <message>
        <source>New subject… (Ctrl+N)</source>
        <translation>新建主体…（Ctrl+N）</translation>
    </message>
    <message>
        <source>New subject</source>
        <translation>新建主体</translation>
    </message>
    <message>
        <source>&amp;Batch check…</source>
        <translation>批量核验(&amp;B)…</translation>
    </message>
    <message>
        <source>Batch check of a bid opening</source>
        <translation>批量核验开标名单</translation>
    </message>
    <message>
        <source>Search results</source>
        <translation>查询结果</translation>
    </message>
    <message>
        <source>{score} / {grade} while barred</source>
        <translation>{score} 分 / {grade}（禁入期间）</translation>
    </message>
    <message>
        <source>Type a name, a code or pinyin initials to look up a credit file.</source>
        <translation>请输入名称、代码或拼音首字母查询信用档案。</translation>
    </message>
    <message>
        <source>Choose the result that is the company or person asked about (Down, then Enter).</source>
        <translation>请选择所查询的单位或个人（按↓，再按回车）。</translation>
    </message>
    <message>
        <source>Results: {count}</source>
        <translation>共 {count} 条结果</translation>
    </message>
    <message>
        <source>First {shown} results shown; more match (scroll down)</source>
        <translation>已显示前 {shown} 条，另有更多结果（向下滚动查看）</translation>
    </message>
    <message>
        <source>More than {cap} match; {shown} shown (type more of the name to narrow them)</source>
        <translation>超过 {cap} 条，已显示 {shown} 条（请输入更完整的名称以缩小范围）</translation>
    </message>
    <message>
        <source>{total} match; {shown} shown (scroll down for the rest)</source>
        <translation>共 {total} 条，已显示 {shown} 条（向下滚动查看其余）</translation>
    </message>
    <message>
        <source>Credit files matching “{query}”: {count}, but none is selected.

Record the check as “not found”? Choose No to pick a result first.</source>
        <translation>与“{query}”相符的信用档案有 {count} 条，但没有选中任何一条。

按“未找到”登记核验吗？选“否”先选择结果。</translation>
    </message>
    <message>
        <source>{confirmation} Printed on {printer}.</source>
        <translation>{confirmation}已在 {printer} 打印。</translation>
    </message>
    <message>
        <source>Not found</source>
        <translation>未找到</translation>
    </message>
    <message>
        <source>No credit data yet</source>
        <translation>尚无信用数据</translation>
    </message>
    <message>
        <source>Data as of {time}</source>
        <translation>数据截至 {time}</translation>
    </message>
    <message>
        <source>Type what the visitor asked about first.</source>
        <translation>请先输入要查询的内容。</translation>
    </message>
    <message>
        <source>Check recorded: {name} — {verdict}. Notice {number}.</source>
        <translation>已登记核验：{name} — {verdict}。告知单编号 {number}。</translation>
    </message>
    <message>
        <source>Reprint of notice {number} ({name} — {verdict}); no new check recorded.</source>
        <translation>已补打告知单 {number}（{name} — {verdict}），未另行登记核验。</translation>
    </message>
    <message>
        <source>Open attachment…</source>
        <translation>打开附件…</translation>
    </message>
    <message>
        <source>Decide on the repair…</source>
        <translation>决定信用修复…</translation>
    </message>
    <message>
        <source>Confirm record…</source>
        <translation>确认记录…</translation>
    </message>
    <message>
        <source>Decline record…</source>
        <translation>不予确认…</translation>
    </message>
    <message>
        <source>Request a repair…</source>
        <translation>申请信用修复…</translation>
    </message>
    <message>
        <source>Revoke record…</source>
        <translation>撤销记录…</translation>
    </message>
    <message>
        <source>Add attachment…</source>
        <translation>添加附件…</translation>
    </message>
</context>
<context>
    <name>DateField</name>
    <message>
        <source>not set</source>
        <translation>未设置</translation>
    </message>
</context>
<context>
    <name>Dates</name>
    <message>
        <source>{year}-{month:02d}-{day:02d}</source>
        <translation>{year}年{month}月{day}日</translation>
    </message>
    <message>
        <source>{year}-{month:02d}</source>
        <translation>{year}年{month}月</translation>
    </message>
    <message>
        <source> (provisional)</source>
        <translation>（暂定）</translation>
    </message>
</context>
<context>
    <name>DayDialog</name>
    <message>
        <source>Change calendar day</source>
        <translation>修改日历日期</translation>
    </message>
    <message>
        <source>Add calendar day</source>
        <translation>登记日历日期</translation>
    </message>
    <message>
        <source>Date:</source>
        <translation>日期：</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Kind:</source>
        <translation>类型：</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>the holiday, e.g. 春节</source>
        <translation>所属节日，如 春节</translation>
    </message>
    <message>
        <source>A day off is a holiday (its Saturdays and Sundays listed too); a make-up workday is a Saturday or Sunday worked. Deadlines count working days on this calendar.</source>
        <translation>休：放假日（假期中的周六、周日也逐日登记）；班：调休上班的周六或周日。各类期限按本日历计算工作日。</translation>
    </message>
</context>
<context>
    <name>DayTableModel</name>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Weekday</source>
        <translation>星期</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Changed by</source>
        <translation>修改人</translation>
    </message>
    <message>
        <source>Changed at</source>
        <translation>修改时间</translation>
    </message>
</context>
<context>
    <name>DecideDialog</name>
    <message>
        <source>Line {row} of the list</source>
        <translation>名单第 {row} 行</translation>
    </message>
    <message>
        <source>Listed: {text}</source>
        <translation>名单所列：{text}</translation>
    </message>
    <message>
        <source>What this line is</source>
        <translation>本行是哪个主体</translation>
    </message>
    <message>
        <source>None of these: record the line as not found</source>
        <translation>都不是：按“未找到”登记</translation>
    </message>
    <message>
        <source>Check the line as listed</source>
        <translation>按名单核验</translation>
    </message>
    <message>
        <source>Leave the line out (check this bidder at the desk later)</source>
        <translation>本次不核验（稍后在窗口单独核验）</translation>
    </message>
</context>
<context>
    <name>DemoBanner</name>
    <message>
        <source>DEMO DATA — a demonstration center: its passwords are the same on every install. Never use it for real records.</source>
        <translation>演示数据 — 这是演示中心：其账户密码在每次安装中都相同，切勿用于真实业务记录。</translation>
    </message>
    <message>
        <source>Demo data</source>
        <translation>演示数据</translation>
    </message>
</context>
<context>
    <name>DepartmentDialog</name>
    <message>
        <source>New department</source>
        <translation>新建科室</translation>
    </message>
    <message>
        <source>Edit department</source>
        <translation>修改科室</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Department name</source>
        <translation>科室名称</translation>
    </message>
    <message>
        <source>e.g. 评审科</source>
        <translation>例如 评审科</translation>
    </message>
    <message>
        <source>Status:</source>
        <translation>状态：</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>启用</translation>
    </message>
</context>
<context>
    <name>DepartmentMonthWindow</name>
    <message>
        <source>Staff no.</source>
        <translation>工号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Post</source>
        <translation>岗位</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>总分</translation>
    </message>
    <message>
        <source>Grade</source>
        <translation>等次</translation>
    </message>
    <message>
        <source>Veto</source>
        <translation>否决</translation>
    </message>
    <message>
        <source>veto</source>
        <translation>否决</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>自动项</translation>
    </message>
    <message>
        <source>Contested</source>
        <translation>申诉中</translation>
    </message>
    <message>
        <source>Rank</source>
        <translation>科内排名</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Staff of the department</source>
        <translation>科室人员</translation>
    </message>
    <message>
        <source>&amp;Open sheet (Enter)</source>
        <translation>打开评分表(&amp;O)（回车）</translation>
    </message>
    <message>
        <source>Re&amp;fresh (F5)</source>
        <translation>刷新(&amp;F)（F5）</translation>
    </message>
    <message>
        <source>&amp;Submit the month… (Ctrl+Enter)</source>
        <translation>提交本月(&amp;S)…（Ctrl+回车）</translation>
    </message>
    <message>
        <source>C&amp;lose</source>
        <translation>关闭(&amp;L)</translation>
    </message>
    <message>
        <source>Monthly scoring %1 — %2</source>
        <translation>月度考核 %1 — %2</translation>
    </message>
    <message>
        <source>%1 staff</source>
        <translation>%1人</translation>
    </message>
    <message>
        <source>revision %1</source>
        <translation>第%1版</translation>
    </message>
    <message>
        <source>submitted %1 by %2</source>
        <translation>%2 于 %1 提交</translation>
    </message>
    <message>
        <source>locked %1 by %2</source>
        <translation>%2 于 %1 锁定</translation>
    </message>
    <message>
        <source>Excellent: %1 of a quota of %2</source>
        <translation>优秀：%1人（名额%2人）</translation>
    </message>
    <message>
        <source>over the quota</source>
        <translation>超出名额</translation>
    </message>
    <message>
        <source>Returned by a leader: %1</source>
        <translation>领导退回：%1</translation>
    </message>
    <message>
        <source>Reopened: %1</source>
        <translation>已重新开启：%1</translation>
    </message>
    <message>
        <source>%1 automatic lines contested, waiting for a leader</source>
        <translation>%1项自动扣加分申诉中，待领导裁定</translation>
    </message>
    <message>
        <source>Enter opens a sheet; in the sheet, Ctrl+Enter saves and opens the next one.</source>
        <translation>回车打开评分表；在评分表中按 Ctrl+回车 保存并打开下一人。</translation>
    </message>
    <message>
        <source>Read only: the month is %1.</source>
        <translation>只读：本月%1。</translation>
    </message>
    <message>
        <source>Read only: you do not fill this department's sheets.</source>
        <translation>只读：您不负责填写本科室的评分表。</translation>
    </message>
    <message>
        <source>%1 staff; grades: %2</source>
        <translation>共%1人；等次：%2</translation>
    </message>
    <message>
        <source>Excellent %1 is over the quota of %2: a leader will have to override it to lock.</source>
        <translation>优秀%1人，超出名额%2人：领导须说明理由方可锁定。</translation>
    </message>
    <message>
        <source>%1 automatic lines are contested: a leader decides them.</source>
        <translation>%1项自动扣加分申诉中，由领导裁定。</translation>
    </message>
    <message>
        <source>Submit the month</source>
        <translation>提交本月考核</translation>
    </message>
    <message>
        <source>Submit the sheets of %1 for %2 to a leader?

%3

Once submitted they cannot be changed here.</source>
        <translation>将%1 %2的评分表提交领导审核？

%3

提交后在此不能再修改。</translation>
    </message>
    <message>
        <source>Submitted: the month is with a leader.</source>
        <translation>已提交：本月考核待领导审核。</translation>
    </message>
</context>
<context>
    <name>DepartmentTableModel</name>
    <message>
        <source>Department</source>
        <translation>科室</translation>
    </message>
    <message>
        <source>Staff on duty</source>
        <translation>在岗人数</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Deactivated</source>
        <translation>已停用</translation>
    </message>
</context>
<context>
    <name>DepartmentsTab</name>
    <message>
        <source>Departments</source>
        <translation>科室</translation>
    </message>
    <message>
        <source>New department…</source>
        <translation>新建科室…</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <source>Deactivate</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Reactivate</source>
        <translation>重新启用</translation>
    </message>
    <message>
        <source>Department “%1” saved.</source>
        <translation>科室“%1”已保存。</translation>
    </message>
    <message>
        <source>Deactivate department</source>
        <translation>停用科室</translation>
    </message>
    <message>
        <source>Deactivate “%1”? It will no longer be offered for new staff and accounts.</source>
        <translation>确定停用“%1”吗？停用后新建人员和账户时将不再提供该科室。</translation>
    </message>
    <message>
        <source>“%1” deactivated.</source>
        <translation>“%1”已停用。</translation>
    </message>
    <message>
        <source>“%1” reactivated.</source>
        <translation>“%1”已重新启用。</translation>
    </message>
</context>
<context>
    <name>EvaluationCatalogue</name>
    <message>
        <source>Retired (%1)</source>
        <translation>已停用（%1）</translation>
    </message>
</context>
<context>
    <name>EvaluationCatalogueTab</name>
    <message>
        <source>Evaluation items</source>
        <translation>专家考评项目</translation>
    </message>
    <message>
        <source>New version from a date…</source>
        <translation>自某日起的新版本…</translation>
    </message>
    <message>
        <source>Change an item, or add one, from a date on; earlier sessions keep theirs (Ctrl+N)</source>
        <translation>自某日起修改或新增考评项；此前的考评场次沿用原版本（Ctrl+N）</translation>
    </message>
    <message>
        <source>Correct this version…</source>
        <translation>更正此版本…</translation>
    </message>
    <message>
        <source>Fix a version entered wrongly</source>
        <translation>更正录入有误的版本</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>%1 %2 from %3 saved.</source>
        <translation>已保存 %1 %2（自%3起）。</translation>
    </message>
</context>
<context>
    <name>EvaluationGrid</name>
    <message>
        <source>Points</source>
        <translation>扣分</translation>
    </message>
    <message>
        <source>%1… (type the second digit)</source>
        <translation>%1…（请输入第二位数字）</translation>
    </message>
    <message>
        <source>%1: points from %2 to %3</source>
        <translation>%1：扣分范围 %2–%3 分</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>考评项目</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>General remark</source>
        <translation>总体评价</translation>
    </message>
    <message>
        <source>%1 %2: %3 points by default, from %4 to %5</source>
        <translation>%1 %2：默认扣 %3 分，范围 %4–%5 分</translation>
    </message>
    <message>
        <source> (serious)</source>
        <translation>（严重违规）</translation>
    </message>
    <message>
        <source>%1: %2 points in %3 marks</source>
        <translation>%1：共 %3 项，扣 %2 分</translation>
    </message>
</context>
<context>
    <name>EvaluationLabels</name>
    <message>
        <source>Construction</source>
        <translation>建设工程</translation>
    </message>
    <message>
        <source>Government procurement</source>
        <translation>政府采购</translation>
    </message>
    <message>
        <source>Transport and water</source>
        <translation>交通水利</translation>
    </message>
    <message>
        <source>Land and property</source>
        <translation>土地产权</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>超期未定稿</translation>
    </message>
    <message>
        <source>Draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source>Finalised</source>
        <translation>已定稿</translation>
    </message>
    <message>
        <source>Per calendar year</source>
        <translation>按自然年累计</translation>
    </message>
    <message>
        <source>Over the last 12 months</source>
        <translation>按最近12个月累计</translation>
    </message>
    <message>
        <source>Notify and publish</source>
        <translation>通报并公开</translation>
    </message>
    <message>
        <source>Suspend from the pool</source>
        <translation>暂停评标资格</translation>
    </message>
    <message>
        <source>Points reached the threshold</source>
        <translation>累计扣分达到阈值</translation>
    </message>
    <message>
        <source>Serious misconduct</source>
        <translation>存在严重违规项</translation>
    </message>
    <message>
        <source>Waiting for a leader</source>
        <translation>待领导确认</translation>
    </message>
    <message>
        <source>Confirmed</source>
        <translation>已确认</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>不予确认</translation>
    </message>
    <message>
        <source>Withdrawn</source>
        <translation>已撤回</translation>
    </message>
    <message>
        <source>Suspended until %1</source>
        <translation>暂停至%1</translation>
    </message>
    <message>
        <source>In the pool</source>
        <translation>在库</translation>
    </message>
    <message>
        <source>Suspended</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Removed</source>
        <translation>清退</translation>
    </message>
</context>
<context>
    <name>EvaluationsPage</name>
    <message>
        <source>Reopen %1 (%2, %3) for correction. The marks and the credit records of version %4 stay in force and readable until the correction is finalised; then they are revoked and the corrected ones added.</source>
        <translation>重新打开 %1（%2，%3）以便更正。第%4版的扣分及其信用记录在更正定稿前继续有效、可以查阅；更正定稿时撤销原记录并记入更正后的记录。</translation>
    </message>
    <message>
        <source>Reopen session</source>
        <translation>重新打开考评</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>理由：</translation>
    </message>
    <message>
        <source>Reopen</source>
        <translation>重新打开</translation>
    </message>
    <message>
        <source>e.g. the witness marked the wrong expert</source>
        <translation>例如：见证人将扣分记在了其他专家名下</translation>
    </message>
    <message>
        <source>Expert evaluation</source>
        <translation>专家考评</translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation>考评场次</translation>
    </message>
    <message>
        <source>Experts</source>
        <translation>评标专家</translation>
    </message>
    <message>
        <source>Proposals</source>
        <translation>处理建议</translation>
    </message>
    <message>
        <source>Yearly ranking</source>
        <translation>年度排名</translation>
    </message>
</context>
<context>
    <name>ExpertsTab</name>
    <message>
        <source>Experts</source>
        <translation>评标专家</translation>
    </message>
    <message>
        <source>Name, expert no., specialty (Ctrl+F)</source>
        <translation>姓名、专家编号、专业（Ctrl+F）</translation>
    </message>
    <message>
        <source>Year of the points and sessions</source>
        <translation>扣分和场次的年度</translation>
    </message>
    <message>
        <source>Year </source>
        <translation>年度 </translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Points by year</source>
        <translation>各年度扣分</translation>
    </message>
    <message>
        <source>Marks</source>
        <translation>扣分记录</translation>
    </message>
    <message>
        <source>No expert in the roster yet: experts are credit subjects of the kind 评标专家.</source>
        <translation>专家库中还没有专家：评标专家是类别为“评标专家”的信用主体。</translation>
    </message>
    <message numerus="yes">
        <source>%n expert(s)</source>
        <translation>
            <numerusform>%n 名专家</numerusform>
        </translation>
    </message>
    <message>
        <source>Choose an expert to see their evaluations by year.</source>
        <translation>选择一名专家，查看其各年度的考评情况。</translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <translation>%1（%2）：%3</translation>
    </message>
</context>
<context>
    <name>ExtensionDecisionDialog</name>
    <message>
        <source>Decide on the extension</source>
        <translation>审批延期申请</translation>
    </message>
    <message>
        <source>%1 working days more, asked by %2: %3</source>
        <translation>%2 申请延长 %1 个工作日：%3</translation>
    </message>
    <message>
        <source>Request:</source>
        <translation>申请：</translation>
    </message>
    <message>
        <source>Decision:</source>
        <translation>审批：</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>审批决定</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>批准</translation>
    </message>
    <message>
        <source>Refuse</source>
        <translation>不批准</translation>
    </message>
    <message>
        <source>Note:</source>
        <translation>意见：</translation>
    </message>
    <message>
        <source>Decision note</source>
        <translation>审批意见</translation>
    </message>
    <message>
        <source>Decide</source>
        <translation>确定</translation>
    </message>
</context>
<context>
    <name>ExtensionRequestDialog</name>
    <message>
        <source>Ask for more time</source>
        <translation>申请延期</translation>
    </message>
    <message>
        <source>Working days:</source>
        <translation>延长工作日：</translation>
    </message>
    <message>
        <source>Working days more</source>
        <translation>延长的工作日数</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>理由：</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>延期理由</translation>
    </message>
    <message>
        <source>A supervisor or a center leader other than you approves the extension.</source>
        <translation>延期须由您以外的科室负责人或中心领导审批。</translation>
    </message>
    <message>
        <source>Ask</source>
        <translation>提交申请</translation>
    </message>
</context>
<context>
    <name>FigureTableModel</name>
    <message>
        <source>Figure</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>In force today</source>
        <translation>今日执行值</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>起始日期</translation>
    </message>
    <message>
        <source>Changes ahead</source>
        <translation>待生效调整</translation>
    </message>
    <message>
        <source>Allowed</source>
        <translation>取值范围</translation>
    </message>
    <message>
        <source>%1 from %2</source>
        <translation>自 %2 起为 %1</translation>
    </message>
</context>
<context>
    <name>FirstAdminDialog</name>
    <message>
        <source>Set up Integrity Desk</source>
        <translation>初始化诚信服务台</translation>
    </message>
    <message>
        <source>This database has no accounts yet. Create the system administrator: the account that manages accounts, departments, staff and settings. It has no business rights: credit lookups, complaints, evaluations and scoring need accounts of their own, which the system administrator creates next.</source>
        <translation>该数据库中还没有任何账户。请先创建系统管理员账户，用于管理账户、科室、人员和系统设置。系统管理员没有业务权限：信用查询、投诉受理、专家考评和月度考核须使用各自的账户，由系统管理员随后创建。</translation>
    </message>
    <message>
        <source>Username:</source>
        <translation>用户名：</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Letters, digits and . _ -, e.g. sysadmin</source>
        <translation>字母、数字及 . _ -，例如 sysadmin</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>姓名：</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Shown in the status bar and the audit log</source>
        <translation>显示在状态栏和审计日志中</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Repeat password:</source>
        <translation>确认密码：</translation>
    </message>
    <message>
        <source>Repeat password</source>
        <translation>确认密码</translation>
    </message>
    <message>
        <source>Create administrator</source>
        <translation>创建管理员</translation>
    </message>
</context>
<context>
    <name>FollowupDialog</name>
    <message>
        <source>Follow-up after a bad rating</source>
        <translation>差评跟进整改</translation>
    </message>
    <message>
        <source>Step:</source>
        <translation>环节：</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>跟进环节</translation>
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
        <source>Record:</source>
        <translation>记录：</translation>
    </message>
    <message>
        <source>Follow-up record</source>
        <translation>跟进记录</translation>
    </message>
    <message>
        <source>Contact by %1, rectify by %2.</source>
        <translation>联系期限 %1，整改期限 %2。</translation>
    </message>
</context>
<context>
    <name>FormDialog</name>
    <message>
        <source>Required</source>
        <translation>必填</translation>
    </message>
    <message>
        <source>Fields marked %1 are required.</source>
        <translation>带 %1 的为必填项。</translation>
    </message>
    <message>
        <source>e.g. %1</source>
        <translation>例：%1</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Discard what you typed and load the record as it is stored now</source>
        <translation>放弃本次填写的内容，载入该记录当前保存的内容</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
</context>
<context>
    <name>HomePage</name>
    <message>
        <source>Welcome, {name}</source>
        <translation>欢迎，{name}</translation>
    </message>
    <message>
        <source>Waiting for you</source>
        <translation>待办事项</translation>
    </message>
    <message>
        <source>Nothing is waiting for you.</source>
        <translation>目前没有等待您处理的事项。</translation>
    </message>
    <message>
        <source>Your pages</source>
        <translation>功能页面</translation>
    </message>
    <message>
        <source>Coming soon</source>
        <translation>即将提供</translation>
    </message>
    <message>
        <source>This module is not built yet in this version of Integrity Desk.</source>
        <translation>本版本的诚信服务台尚未提供此模块。</translation>
    </message>
    <message>
        <source>{center} · {roles} · {date}</source>
        <translation>{center} · {roles} · {date}</translation>
    </message>
    <message>
        <source>Administrator accounts hold no business rights: system administration, security and audit are kept on separate accounts.</source>
        <translation>管理员账户不具有业务权限：系统管理、安全管理和审计由不同账户分别担任（三员分立）。</translation>
    </message>
    <message>
        <source>Open ({shortcut})</source>
        <translation>打开（{shortcut}）</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>Import credit subjects</source>
        <translation>导入信用主体</translation>
    </message>
    <message>
        <source>Import credit records</source>
        <translation>导入信用记录</translation>
    </message>
    <message>
        <source>Choose an Excel (.xlsx) or CSV file whose first row holds the column headers, in any order: %1. Required: %2. Other columns are ignored. Nothing is imported before you confirm.</source>
        <translation>请选择 Excel（.xlsx）或 CSV 文件，第一行为列名，顺序不限：%1。必需的列：%2。其他列会被忽略。确认之前不会导入任何数据。</translation>
    </message>
    <message>
        <source>File to import</source>
        <translation>要导入的文件</translation>
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
        <source>Row</source>
        <translation>行号</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>处理结果</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>主体</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Rows of the file</source>
        <translation>文件中的各行</translation>
    </message>
    <message>
        <source>Show only rows with &amp;errors</source>
        <translation>只显示有误的行(&amp;E)</translation>
    </message>
    <message>
        <source>Show only rows with errors</source>
        <translation>只显示有误的行</translation>
    </message>
    <message>
        <source>&amp;Skip rows with errors</source>
        <translation>跳过错误行(&amp;S)</translation>
    </message>
    <message>
        <source>Skip rows with errors</source>
        <translation>跳过错误行</translation>
    </message>
    <message>
        <source>Import the rows without errors and leave out the others; fix them and import the file again.</source>
        <translation>只导入无误的行，有误的行不导入；修正后可再次导入同一文件。</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>导入(&amp;I)</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Choose the file to import</source>
        <translation>选择要导入的文件</translation>
    </message>
    <message>
        <source>Excel or CSV files (*.xlsx *.csv);;All files (*)</source>
        <translation>Excel 或 CSV 文件 (*.xlsx *.csv);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Choose a file to see what would be imported.</source>
        <translation>选择文件后，这里会逐行显示将要导入的内容。</translation>
    </message>
    <message>
        <source>%1 rows: %2 new, %3 already present (skipped), %4 with errors.</source>
        <translation>共 %1 行：新增 %2 行，已存在（跳过）%3 行，有误 %4 行。</translation>
    </message>
    <message>
        <source>Some rows have errors: fix them in the file, or tick “Skip rows with errors”.</source>
        <translation>有的行有误：请在文件中修正，或勾选“跳过错误行”。</translation>
    </message>
    <message>
        <source>Import %1 new rows from %2?</source>
        <translation>从 %2 导入 %1 行新数据？</translation>
    </message>
    <message>
        <source>%1 rows with errors will be left out.</source>
        <translation>有误的 %1 行不会导入。</translation>
    </message>
    <message>
        <source>Entry bans and serious-list records take effect once a leader confirms them.</source>
        <translation>禁止入场和严重失信记录须经中心领导确认后生效。</translation>
    </message>
    <message>
        <source>Imported %1 rows; %2 already present, %3 with errors left out.</source>
        <translation>已导入 %1 行；已存在跳过 %2 行，有误未导入 %3 行。</translation>
    </message>
    <message>
        <source>%1 of them wait for a leader's confirmation.</source>
        <translation>其中 %1 条待中心领导确认。</translation>
    </message>
    <message>
        <source>Save import template</source>
        <translation>保存导入模板</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx);;CSV file (*.csv)</source>
        <translation>Excel 工作簿 (*.xlsx);;CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>The template was saved to %1.</source>
        <translation>模板已保存到 %1。</translation>
    </message>
</context>
<context>
    <name>ItemDialog</name>
    <message>
        <source>Correct item version</source>
        <translation>更正考评项版本</translation>
    </message>
    <message>
        <source>New item version</source>
        <translation>考评项新版本</translation>
    </message>
    <message>
        <source>&amp;Code:</source>
        <translation>编号(&amp;C)：</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>e.g. E18</source>
        <translation>例如：E18</translation>
    </message>
    <message>
        <source>&amp;Item:</source>
        <translation>考评项(&amp;I)：</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>考评项</translation>
    </message>
    <message>
        <source>&amp;Default points:</source>
        <translation>默认扣分(&amp;D)：</translation>
    </message>
    <message>
        <source>Least points:</source>
        <translation>最少扣分：</translation>
    </message>
    <message>
        <source>Most points:</source>
        <translation>最多扣分：</translation>
    </message>
    <message>
        <source>&amp;Serious: a suspension is proposed whatever the points</source>
        <translation>严重违规(&amp;S)：无论分数多少均建议暂停</translation>
    </message>
    <message>
        <source>Serious</source>
        <translation>严重违规</translation>
    </message>
    <message>
        <source>&amp;Effective from:</source>
        <translation>生效日期(&amp;E)：</translation>
    </message>
    <message>
        <source>Effective from</source>
        <translation>生效日期</translation>
    </message>
    <message>
        <source>In &amp;use (unticked: the item is retired from this date)</source>
        <translation>启用(&amp;U)（不勾选：自该日起停用此项）</translation>
    </message>
    <message>
        <source>In use</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Correcting changes this version for every session on the days it is in force; marks already finalised keep the text and points they were given. For a change of the form, add a version from a date instead.</source>
        <translation>更正会改变此版本生效期间的所有考评场次；已定稿的扣分保留当时的内容和分值。如要修改考评表，请改为新增自某日起的版本。</translation>
    </message>
    <message>
        <source>Sessions on or after the effective date use this version; earlier sessions keep theirs.</source>
        <translation>生效日期当日及以后的考评使用此版本；此前的考评沿用原版本。</translation>
    </message>
</context>
<context>
    <name>ItemPicker</name>
    <message>
        <source>Add a line</source>
        <translation>添加评分项</translation>
    </message>
    <message>
        <source>&amp;Item of the scheme:</source>
        <translation>方案中的评分项(&amp;I)：</translation>
    </message>
    <message>
        <source>Items</source>
        <translation>评分项</translation>
    </message>
    <message>
        <source>%1 points (%2–%3)</source>
        <translation>%1分（%2–%3）</translation>
    </message>
    <message>
        <source>evidence required</source>
        <translation>须填依据</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>ItemTableModel</name>
    <message>
        <source>Code</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>考评项</translation>
    </message>
    <message>
        <source>Default points</source>
        <translation>默认扣分</translation>
    </message>
    <message>
        <source>Range</source>
        <translation>扣分范围</translation>
    </message>
    <message>
        <source>Serious</source>
        <translation>严重违规</translation>
    </message>
    <message>
        <source>serious</source>
        <translation>严重</translation>
    </message>
    <message>
        <source>Effective from</source>
        <translation>生效日期</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>LateTab</name>
    <message>
        <source>Late arrivals</source>
        <translation>迟到扣分</translation>
    </message>
    <message>
        <source>Name, department, case (Ctrl+F)</source>
        <translation>姓名、科室、案件编号（Ctrl+F）</translation>
    </message>
    <message>
        <source>Reo&amp;pen the month…</source>
        <translation>重新开启该月(&amp;P)…</translation>
    </message>
    <message>
        <source>Reopen the locked month so that the deduction comes in (Enter)</source>
        <translation>重新开启已锁定的月份，使该扣分计入（回车）</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Nothing arrived for a locked month.</source>
        <translation>没有已锁定月份的迟到扣分。</translation>
    </message>
    <message>
        <source>%1's month %2 is open again; the deduction is on the sheet.</source>
        <translation>%1 %2 已重新开启，该扣分已计入评分表。</translation>
    </message>
</context>
<context>
    <name>LateTableModel</name>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>科室</translation>
    </message>
    <message>
        <source>Staff member</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>考核项目</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>分值</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Arrived</source>
        <translation>到达时间</translation>
    </message>
</context>
<context>
    <name>ListTab</name>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>Search (Ctrl+F)</source>
        <translation>搜索（Ctrl+F）</translation>
    </message>
</context>
<context>
    <name>LockDialog</name>
    <message>
        <source>Screen locked — Integrity Desk</source>
        <translation>屏幕已锁定 — 诚信服务台</translation>
    </message>
    <message>
        <source>The screen was locked to protect the data on it. {name}, enter your password to continue: everything you typed is kept.</source>
        <translation>为保护屏幕上的数据，屏幕已锁定。{name}，请输入密码继续工作，已填写的内容均已保留。</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>退出登录</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Sign in — Integrity Desk</source>
        <translation>登录 — 诚信服务台</translation>
    </message>
    <message>
        <source>Integrity Desk</source>
        <translation>诚信服务台</translation>
    </message>
    <message>
        <source>Username:</source>
        <translation>用户名：</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Workstation: {workstation}</source>
        <translation>工作站：{workstation}</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Opening the database… you will be signed in in a moment.</source>
        <translation>正在打开数据库……稍候即自动登录。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Integrity Desk — {center}</source>
        <translation>诚信服务台 — {center}</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>功能页面</translation>
    </message>
    <message>
        <source>Home</source>
        <translation>首页</translation>
    </message>
    <message>
        <source>Coming soon: {purpose}</source>
        <translation>即将提供：{purpose}</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>新建(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>打印(&amp;P)…</translation>
    </message>
    <message>
        <source>New &amp;complaint…</source>
        <translation>投诉登记(&amp;C)…</translation>
    </message>
    <message>
        <source>Change pass&amp;word…</source>
        <translation>修改密码(&amp;W)…</translation>
    </message>
    <message>
        <source>&amp;Lock screen</source>
        <translation>锁定屏幕(&amp;L)</translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation>退出登录(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出程序(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Find</source>
        <translation>查找(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>查看(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Home</source>
        <translation>首页(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Full screen</source>
        <translation>全屏(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Print a &amp;test page…</source>
        <translation>打印测试页(&amp;T)…</translation>
    </message>
    <message>
        <source>&amp;Verify a notice…</source>
        <translation>验证文书(&amp;V)…</translation>
    </message>
    <message>
        <source>&amp;About Integrity Desk</source>
        <translation>关于诚信服务台(&amp;A)</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>关于 &amp;Qt</translation>
    </message>
    <message>
        <source>Signed in as {username} at workstation {workstation}</source>
        <translation>已在工作站 {workstation} 以 {username} 身份登录</translation>
    </message>
    <message>
        <source>Database in use</source>
        <translation>当前使用的数据库</translation>
    </message>
    <message numerus="yes">
        <source>%n overdue</source>
        <translation>
            <numerusform>%n 件超期</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n due soon</source>
        <translation>
            <numerusform>%n 件即将到期</numerusform>
        </translation>
    </message>
    <message>
        <source>Complaints you answer for; click to list them</source>
        <translation>您负责的投诉；点击查看列表</translation>
    </message>
    <message numerus="yes">
        <source>%n expert proposal(s) waiting</source>
        <translation>
            <numerusform>%n 条专家处理建议待确认</numerusform>
        </translation>
    </message>
    <message>
        <source>Expert evaluation proposals waiting for a leader; click to list them</source>
        <translation>待领导确认的专家考评处理建议；点击查看</translation>
    </message>
    <message>
        <source>Your password has been changed.</source>
        <translation>密码已修改。</translation>
    </message>
    <message>
        <source>Settings saved. They take effect the next time Integrity Desk starts.</source>
        <translation>设置已保存，将在下次启动诚信服务台时生效。</translation>
    </message>
    <message>
        <source>Unsaved input</source>
        <translation>有未保存的内容</translation>
    </message>
    <message>
        <source>These pages have input that is not saved yet: {pages}.

Discard it and continue?</source>
        <translation>以下页面有尚未保存的内容：{pages}。

放弃这些内容并继续吗？</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
</context>
<context>
    <name>MarkModel</name>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Session</source>
        <translation>考评编号</translation>
    </message>
    <message>
        <source>Project</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>考评项</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>扣分</translation>
    </message>
    <message>
        <source>Remark</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>MomentField</name>
    <message>
        <source>not set</source>
        <translation>未填</translation>
    </message>
    <message>
        <source>Type or press Up to set; Delete: not set</source>
        <translation>输入或按上箭头填写；Delete 键清空</translation>
    </message>
</context>
<context>
    <name>MonthLockDialog</name>
    <message>
        <source>Lock the month</source>
        <translation>锁定月度考核</translation>
    </message>
    <message>
        <source>Lock %1's month %2: %3 staff, %4 graded excellent (quota %5). Once locked, it changes only by a reopen.</source>
        <translation>锁定%1 %2 的考核：共 %3 人，优秀 %4 人（名额 %5 人）。锁定后只能通过重新开启修改。</translation>
    </message>
    <message>
        <source>&amp;Override reason:</source>
        <translation>超额理由(&amp;O)：</translation>
    </message>
    <message>
        <source>Override reason</source>
        <translation>超额理由</translation>
    </message>
    <message>
        <source>Only when more are graded excellent than the quota allows: why</source>
        <translation>仅在优秀人数超过名额时填写：理由</translation>
    </message>
    <message>
        <source>%1 graded excellent is over the quota of %2: the lock needs a reason to override it.</source>
        <translation>优秀 %1 人，超过名额 %2 人：锁定须填写超额理由。</translation>
    </message>
    <message>
        <source>Lock</source>
        <translation>锁定</translation>
    </message>
</context>
<context>
    <name>MonthTableModel</name>
    <message>
        <source>Department</source>
        <translation>科室</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source> (revision %1)</source>
        <translation>（第 %1 版）</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>人数</translation>
    </message>
    <message>
        <source>Average</source>
        <translation>平均分</translation>
    </message>
    <message>
        <source>Excellent / quota</source>
        <translation>优秀 / 名额</translation>
    </message>
    <message>
        <source>Contested</source>
        <translation>申诉</translation>
    </message>
    <message>
        <source>Late arrivals</source>
        <translation>迟到扣分</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>提交</translation>
    </message>
    <message>
        <source>Locked</source>
        <translation>锁定</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
</context>
<context>
    <name>MonthsTab</name>
    <message>
        <source>Departments' months</source>
        <translation>各科室月度考核</translation>
    </message>
    <message>
        <source>Department (Ctrl+F)</source>
        <translation>科室（Ctrl+F）</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>打开(&amp;O)</translation>
    </message>
    <message>
        <source>Open the department's sheets (Enter)</source>
        <translation>打开科室的评分表（回车）</translation>
    </message>
    <message>
        <source>&amp;Lock…</source>
        <translation>锁定(&amp;L)…</translation>
    </message>
    <message>
        <source>Lock the month's grades</source>
        <translation>锁定本月等次</translation>
    </message>
    <message>
        <source>Retur&amp;n…</source>
        <translation>退回(&amp;N)…</translation>
    </message>
    <message>
        <source>Send the month back to the supervisor with a reason</source>
        <translation>说明理由，退回科室负责人</translation>
    </message>
    <message>
        <source>Reo&amp;pen…</source>
        <translation>重新开启(&amp;P)…</translation>
    </message>
    <message>
        <source>Correct a locked month: a new revision; the locked one stays readable</source>
        <translation>更正已锁定的月份：生成新版本，原版本仍可查阅</translation>
    </message>
    <message>
        <source>Pr&amp;int sheet…</source>
        <translation>打印评分表(&amp;I)…</translation>
    </message>
    <message>
        <source>The department's monthly scoring sheet with its signature lines (Ctrl+P)</source>
        <translation>本科室月度考核评分表（带签字栏，Ctrl+P）</translation>
    </message>
    <message>
        <source>E&amp;xport…</source>
        <translation>导出(&amp;X)…</translation>
    </message>
    <message>
        <source>The month's scores to an .xlsx workbook (the departments you may see)</source>
        <translation>将本月考核结果导出为 .xlsx 工作簿（限您可查看的科室）</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>No department to show.</source>
        <translation>没有可显示的科室。</translation>
    </message>
    <message>
        <source>%1 submitted, %2 locked of %3</source>
        <translation>共 %3 个科室，已提交 %1，已锁定 %2</translation>
    </message>
    <message>
        <source>scores-%1.xlsx</source>
        <translation>月度考核-%1.xlsx</translation>
    </message>
    <message>
        <source>Export the month's scores</source>
        <translation>导出月度考核结果</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>The scores of %1 were saved to %2.</source>
        <translation>%1 的考核结果已保存到 %2。</translation>
    </message>
    <message>
        <source>%1's month %2 is locked.</source>
        <translation>%1 %2 的考核已锁定。</translation>
    </message>
    <message>
        <source>Send %1's month %2 back to the supervisor. The sheets become drafts again; the reason is shown to them.</source>
        <translation>将%1 %2 的考核退回科室负责人。评分表恢复为填写中，退回理由将告知对方。</translation>
    </message>
    <message>
        <source>Return the month</source>
        <translation>退回月度考核</translation>
    </message>
    <message>
        <source>Return</source>
        <translation>退回</translation>
    </message>
    <message>
        <source>e.g. the deductions of the late case are missing</source>
        <translation>例如：漏记了超期案件的扣分</translation>
    </message>
    <message>
        <source>%1's month is back with the supervisor.</source>
        <translation>%1的考核已退回科室负责人。</translation>
    </message>
    <message>
        <source>%1's month %2 is open for correction (revision %3).</source>
        <translation>%1 %2 的考核已重新开启更正（第 %3 版）。</translation>
    </message>
</context>
<context>
    <name>Navigation</name>
    <message>
        <source>Credit lookup</source>
        <translation>信用查询</translation>
    </message>
    <message>
        <source>Look up the credit file of a company or person and tell whether they may enter today's bid opening, with a printed result notice.</source>
        <translation>查询企业或个人的信用档案，判断其能否进入当日开标现场，并打印信用查询结果告知单。</translation>
    </message>
    <message>
        <source>Credit files</source>
        <translation>信用档案</translation>
    </message>
    <message>
        <source>Keep the credit files: register subjects, enter and import records, confirm bans, handle repairs and revocations.</source>
        <translation>维护信用档案：登记主体，录入和导入记录，确认禁入，办理信用修复和撤销。</translation>
    </message>
    <message>
        <source>Complaints</source>
        <translation>投诉受理</translation>
    </message>
    <message>
        <source>Register complaints from every channel, follow each one through acceptance, handling, reply and follow-up within its deadline, and print the receipt for the complainant.</source>
        <translation>登记各渠道的服务投诉，在办理时限内跟踪受理、调查处理、办结答复和回访各环节，并为投诉人打印回执。</translation>
    </message>
    <message>
        <source>Expert evaluation</source>
        <translation>专家考评</translation>
    </message>
    <message>
        <source>Record the on-site evaluation of bid-evaluation experts item by item, add up their points over the year, and propose suspensions for a leader to confirm.</source>
        <translation>逐项记录评标专家现场考评情况，按年度累计扣分，并提出暂停建议，由中心领导确认。</translation>
    </message>
    <message>
        <source>Monthly scoring</source>
        <translation>月度考核</translation>
    </message>
    <message>
        <source>Score the staff of each department every month against the scheme of their post, submit the sheets, and lock the month's grades.</source>
        <translation>按岗责体系每月为各科室工作人员评分，提交考核表，并锁定当月考核等次。</translation>
    </message>
    <message>
        <source>System administration</source>
        <translation>系统管理</translation>
    </message>
    <message>
        <source>Manage accounts, departments and staff, and the center's settings.</source>
        <translation>管理账户、科室和人员，以及中心设置。</translation>
    </message>
    <message>
        <source>Account confirmations</source>
        <translation>账户确认</translation>
    </message>
    <message>
        <source>Put into effect the roles a system admin gave, or decline them (separation of duties).</source>
        <translation>确认系统管理员所设的角色使其生效，或予以驳回（三员分立）。</translation>
    </message>
    <message>
        <source>Audit</source>
        <translation>审计</translation>
    </message>
    <message>
        <source>Read the audit log and verify that its chain is intact.</source>
        <translation>查阅审计日志，并校验审计链是否完整。</translation>
    </message>
</context>
<context>
    <name>NoteDialog</name>
    <message>
        <source>Start the investigation</source>
        <translation>开始调查处理</translation>
    </message>
    <message>
        <source>Internal note</source>
        <translation>内部备注</translation>
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
        <source>Internal notes stay in the case's history; they are never sent to the complainant.</source>
        <translation>内部备注只留在办理记录中，不会告知投诉人。</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
</context>
<context>
    <name>NoticePreviewDialog</name>
    <message>
        <source>Reprint</source>
        <translation>补打件</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <source>Fit the page width</source>
        <translation>按页面宽度显示</translation>
    </message>
    <message>
        <source>Show a whole page</source>
        <translation>显示整页</translation>
    </message>
    <message>
        <source>Pages of the notice</source>
        <translation>文书页面</translation>
    </message>
    <message>
        <source>&amp;Reprint…</source>
        <translation>补打(&amp;R)…</translation>
    </message>
    <message>
        <source>Make a new copy from the archive, marked as a reprint; the audit log records it.</source>
        <translation>按存档内容另出一份标注“补打”的新件，并记入审计日志。</translation>
    </message>
    <message>
        <source>&amp;Save as PDF…</source>
        <translation>另存为PDF(&amp;S)…</translation>
    </message>
    <message>
        <source>Save the notice as a PDF file (Ctrl+S)</source>
        <translation>将文书另存为 PDF 文件（Ctrl+S）</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>打印(&amp;P)…</translation>
    </message>
    <message>
        <source>Print the notice (Ctrl+P)</source>
        <translation>打印文书（Ctrl+P）</translation>
    </message>
    <message>
        <source>Fit &amp;width</source>
        <translation>适合宽度(&amp;W)</translation>
    </message>
    <message>
        <source>Whole pa&amp;ge</source>
        <translation>整页(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>关闭(&amp;C)</translation>
    </message>
    <message>
        <source>{title} {number}</source>
        <translation>{title} {number}</translation>
    </message>
    <message>
        <source>Number: {number}</source>
        <translation>编号：{number}</translation>
    </message>
    <message>
        <source>Verification code: {code}</source>
        <translation>验证码：{code}</translation>
    </message>
    <message>
        <source>Pages: {count}</source>
        <translation>共 {count} 页</translation>
    </message>
    <message>
        <source>Print {number}</source>
        <translation>打印 {number}</translation>
    </message>
    <message>
        <source>The chosen page range contains no page of this notice.</source>
        <translation>所选页码范围内没有本文书的页面。</translation>
    </message>
    <message>
        <source>The notice could not be printed on {printer}. Check that the printer is on and ready.</source>
        <translation>文书未能在 {printer} 上打印。请检查打印机是否已开机并处于就绪状态。</translation>
    </message>
    <message>
        <source>the printer</source>
        <translation>打印机</translation>
    </message>
    <message>
        <source>Sent to {printer}.</source>
        <translation>已发送到 {printer}。</translation>
    </message>
    <message>
        <source>Save as PDF</source>
        <translation>另存为PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>The file could not be saved:
{path}

{reason}

Nothing was written: a file already there is unchanged. Choose another folder, or check the drive and try again.</source>
        <translation>文件未能保存：
{path}

{reason}

没有写入任何内容，原有的同名文件未被改动。请换一个文件夹，或检查磁盘后重试。</translation>
    </message>
    <message>
        <source>Saved as {path}.</source>
        <translation>已保存为 {path}。</translation>
    </message>
    <message>
        <source>A reprint of {number} was made; print it or save it now.</source>
        <translation>已生成 {number} 的补打件，请打印或保存。</translation>
    </message>
</context>
<context>
    <name>Notices</name>
    <message>
        <source>Reprint</source>
        <translation>补打</translation>
    </message>
    <message>
        <source>Make a new copy of {number}, marked 补打 (reprint) with the time of now? The reprint is recorded in the audit log.</source>
        <translation>为 {number} 补打一份新件？新件标注“补打”字样和补打时间，补打记入审计日志。</translation>
    </message>
    <message>
        <source>Print a test page</source>
        <translation>打印测试页</translation>
    </message>
</context>
<context>
    <name>Operations</name>
    <message>
        <source>Integrity Desk</source>
        <translation>诚信服务台</translation>
    </message>
</context>
<context>
    <name>OwnEntryTableModel</name>
    <message>
        <source>Code</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Dimension</source>
        <translation>维度</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>考核内容</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>分值</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Contest</source>
        <translation>申诉</translation>
    </message>
    <message>
        <source>Evidence, remark</source>
        <translation>依据、备注</translation>
    </message>
</context>
<context>
    <name>OwnTab</name>
    <message>
        <source>My results</source>
        <translation>我的考核</translation>
    </message>
    <message>
        <source>Month, grade (Ctrl+F)</source>
        <translation>月份、等次（Ctrl+F）</translation>
    </message>
    <message>
        <source>&amp;Print notice…</source>
        <translation>打印考核结果通知(&amp;P)…</translation>
    </message>
    <message>
        <source>The month's result notice</source>
        <translation>本月考核结果通知</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>No locked month of yours yet.</source>
        <translation>您尚无已锁定的考核结果。</translation>
    </message>
    <message>
        <source>Lines of the sheet</source>
        <translation>评分表明细</translation>
    </message>
    <message>
        <source>%1, revision %2: %3 points, %4. %5</source>
        <translation>%1，第 %2 版：%3 分，%4。%5</translation>
    </message>
</context>
<context>
    <name>OwnTableModel</name>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>Revision</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Post</source>
        <translation>岗位</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>总分</translation>
    </message>
    <message>
        <source>Grade</source>
        <translation>等次</translation>
    </message>
    <message>
        <source>Veto</source>
        <translation>否决</translation>
    </message>
    <message>
        <source>veto</source>
        <translation>否决</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>PageView</name>
    <message>
        <source>Page {page}</source>
        <translation>第 {page} 页</translation>
    </message>
</context>
<context>
    <name>PasswordPolicy</name>
    <message>
        <source>be {minimum} to {maximum} characters long</source>
        <translation>长度为 {minimum} 到 {maximum} 个字符</translation>
    </message>
    <message>
        <source>use at least {classes} of these four kinds: lower-case letters, upper-case letters, digits, symbols</source>
        <translation>包含小写字母、大写字母、数字、符号这四类中的至少 {classes} 类</translation>
    </message>
    <message>
        <source>not contain the username</source>
        <translation>不包含用户名</translation>
    </message>
    <message>
        <source>differ from the current password</source>
        <translation>与当前密码不同</translation>
    </message>
    <message>
        <source>The password must:</source>
        <translation>密码须满足以下要求：</translation>
    </message>
    <message>
        <source>The two passwords are not the same. Type the password again.</source>
        <translation>两次输入的密码不一致，请重新输入。</translation>
    </message>
</context>
<context>
    <name>PendingAccountsModel</name>
    <message>
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Roles asked for</source>
        <translation>申请的角色</translation>
    </message>
    <message>
        <source>Roles in effect</source>
        <translation>现有角色</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>科室</translation>
    </message>
    <message>
        <source>Linked staff</source>
        <translation>关联人员</translation>
    </message>
    <message>
        <source>Asked by</source>
        <translation>设置人</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>设置时间</translation>
    </message>
</context>
<context>
    <name>PendingTab</name>
    <message>
        <source>Awaiting confirmation</source>
        <translation>待确认</translation>
    </message>
    <message>
        <source>Confirm…</source>
        <translation>确认…</translation>
    </message>
    <message>
        <source>The record takes effect now</source>
        <translation>记录即时生效</translation>
    </message>
    <message>
        <source>Decline…</source>
        <translation>不予确认…</translation>
    </message>
    <message>
        <source>Asks a reason; the record never counts</source>
        <translation>需填写理由；记录不生效</translation>
    </message>
    <message>
        <source>Withdraw…</source>
        <translation>撤回…</translation>
    </message>
    <message>
        <source>Asks a reason; for a record entered in error</source>
        <translation>需填写理由；用于录入有误的记录</translation>
    </message>
    <message>
        <source>Attach file…</source>
        <translation>添加附件…</translation>
    </message>
    <message>
        <source>Add the decision document</source>
        <translation>添加决定书等文件</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Every ban and serious-list record waiting for a leader.</source>
        <translation>所有待领导确认的禁止入场和严重失信名单记录。</translation>
    </message>
    <message>
        <source>Bans and serious-list records entered by {department}, waiting for a leader.</source>
        <translation>{department}录入、待领导确认的禁止入场和严重失信名单记录。</translation>
    </message>
    <message>
        <source>Bans and serious-list records you entered, waiting for a leader.</source>
        <translation>本人录入、待领导确认的禁止入场和严重失信名单记录。</translation>
    </message>
    <message>
        <source>Nothing awaits confirmation.</source>
        <translation>没有待确认的记录。</translation>
    </message>
    <message>
        <source>The record of “%1” is confirmed and in effect.</source>
        <translation>“%1”的记录已确认生效。</translation>
    </message>
    <message>
        <source>The record of “%1” was not confirmed.</source>
        <translation>“%1”的记录未予确认。</translation>
    </message>
    <message>
        <source>The record of “%1” is withdrawn.</source>
        <translation>“%1”的记录已撤回。</translation>
    </message>
    <message>
        <source>File attached to the record of “%1”.</source>
        <translation>已为“%1”的记录添加附件。</translation>
    </message>
</context>
<context>
    <name>PendingTableModel</name>
    <message>
        <source>Subject</source>
        <translation>主体</translation>
    </message>
    <message>
        <source>Identifier</source>
        <translation>代码/证件号</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录类别</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <source>Decision no.</source>
        <translation>决定文号</translation>
    </message>
    <message>
        <source>Decided by</source>
        <translation>决定机关</translation>
    </message>
    <message>
        <source>Decision date</source>
        <translation>决定日期</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>期限</translation>
    </message>
    <message>
        <source>Entered by</source>
        <translation>录入人</translation>
    </message>
    <message>
        <source>Entered at</source>
        <translation>录入时间</translation>
    </message>
    <message>
        <source>Facts</source>
        <translation>事实</translation>
    </message>
    <message>
        <source>%1 to %2</source>
        <translation>%1 至 %2</translation>
    </message>
</context>
<context>
    <name>PlaceholderPage</name>
    <message>
        <source>This module is not built yet in this version of Integrity Desk.</source>
        <translation>本版本的诚信服务台尚未包含此功能模块。</translation>
    </message>
    <message>
        <source>When it is ready: {purpose}</source>
        <translation>建成后的用途：{purpose}</translation>
    </message>
</context>
<context>
    <name>PostSchemeDialog</name>
    <message>
        <source>Scheme of a post</source>
        <translation>岗位的考核方案</translation>
    </message>
    <message>
        <source>Staff with the post %1 (%2) are scored by this scheme from the next month opened.</source>
        <translation>岗位为“%1”的人员（%2 人）自下一次开启的月份起按此方案评分。</translation>
    </message>
    <message>
        <source>&amp;Scheme:</source>
        <translation>考核方案(&amp;S)：</translation>
    </message>
    <message>
        <source>Scheme</source>
        <translation>考核方案</translation>
    </message>
</context>
<context>
    <name>PostSection</name>
    <message>
        <source>Posts and their schemes</source>
        <translation>岗位与考核方案</translation>
    </message>
    <message>
        <source>Posts</source>
        <translation>岗位</translation>
    </message>
    <message>
        <source>&amp;Change scheme…</source>
        <translation>更换方案(&amp;C)…</translation>
    </message>
    <message>
        <source>The scheme of this post</source>
        <translation>该岗位的考核方案</translation>
    </message>
</context>
<context>
    <name>PostTableModel</name>
    <message>
        <source>Post</source>
        <translation>岗位</translation>
    </message>
    <message>
        <source>(no post)</source>
        <translation>（未填岗位）</translation>
    </message>
    <message>
        <source>Scheme</source>
        <translation>考核方案</translation>
    </message>
    <message>
        <source>(default)</source>
        <translation>（默认方案）</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>人数</translation>
    </message>
</context>
<context>
    <name>ProposalModel</name>
    <message>
        <source>%1 to %2</source>
        <translation>%1 至 %2</translation>
    </message>
    <message>
        <source>Expert</source>
        <translation>专家</translation>
    </message>
    <message>
        <source>Expert no.</source>
        <translation>专家编号</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>年度</translation>
    </message>
    <message>
        <source>Proposal</source>
        <translation>建议</translation>
    </message>
    <message>
        <source>Because</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>累计扣分</translation>
    </message>
    <message>
        <source>Session</source>
        <translation>考评编号</translation>
    </message>
    <message>
        <source>Proposed</source>
        <translation>提出时间</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>决定</translation>
    </message>
</context>
<context>
    <name>ProposalsTab</name>
    <message>
        <source>Proposals</source>
        <translation>处理建议</translation>
    </message>
    <message>
        <source>Expert, session (Ctrl+F)</source>
        <translation>专家、考评编号（Ctrl+F）</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>All states</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>&amp;Confirm…</source>
        <translation>确认(&amp;C)…</translation>
    </message>
    <message>
        <source>Enter the decision that confirms it</source>
        <translation>录入确认该建议的决定</translation>
    </message>
    <message>
        <source>&amp;Reject…</source>
        <translation>不予确认(&amp;R)…</translation>
    </message>
    <message>
        <source>Not confirmed, with the reason</source>
        <translation>不予确认，并说明理由</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>No proposal in this state.</source>
        <translation>没有此状态的处理建议。</translation>
    </message>
    <message>
        <source>Confirmed: %1, %2.</source>
        <translation>已确认：%1，%2。</translation>
    </message>
    <message>
        <source>Suspended until %1.</source>
        <translation>暂停至%1。</translation>
    </message>
    <message>
        <source>Reject proposal</source>
        <translation>不予确认处理建议</translation>
    </message>
    <message>
        <source>Not confirming: %1 (%2), %3 points in %4 — %5. The marks and points stay as they are.</source>
        <translation>不予确认：%1（%2），%4年累计扣分 %3 分——%5。扣分记录和分数保持不变。</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>理由：</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>不予确认</translation>
    </message>
    <message>
        <source>Rejected: %1, %2.</source>
        <translation>已不予确认：%1，%2。</translation>
    </message>
</context>
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>查找范围(&amp;L)：</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>文件类型(&amp;T)：</translation>
    </message>
</context>
<context>
    <name>QPrintSettingsOutput</name>
    <message>
        <source>Page &amp;Set:</source>
        <translation>页面集(&amp;S)：</translation>
    </message>
</context>
<context>
    <name>QuarterTab</name>
    <message>
        <source>Quarterly grades</source>
        <translation>季度平时考核</translation>
    </message>
    <message>
        <source>Name, department (Ctrl+F)</source>
        <translation>姓名、科室（Ctrl+F）</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>年度</translation>
    </message>
    <message>
        <source>Quarter</source>
        <translation>季度</translation>
    </message>
    <message>
        <source>Quarter %1</source>
        <translation>第 %1 季度</translation>
    </message>
    <message>
        <source>&amp;Print notice…</source>
        <translation>打印通报(&amp;P)…</translation>
    </message>
    <message>
        <source>The quarter's 服务示范岗标兵 notice (official notice)</source>
        <translation>本季度服务示范岗标兵通报（正式通知）</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>No locked month in this quarter yet.</source>
        <translation>本季度尚无已锁定的月份。</translation>
    </message>
</context>
<context>
    <name>QuarterTableModel</name>
    <message>
        <source>Department</source>
        <translation>科室</translation>
    </message>
    <message>
        <source>Staff member</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Post</source>
        <translation>岗位</translation>
    </message>
    <message>
        <source>Months</source>
        <translation>月数</translation>
    </message>
    <message>
        <source>Average</source>
        <translation>平均分</translation>
    </message>
    <message>
        <source>Grade</source>
        <translation>等次</translation>
    </message>
    <message>
        <source>Veto</source>
        <translation>否决</translation>
    </message>
    <message>
        <source>veto</source>
        <translation>否决</translation>
    </message>
</context>
<context>
    <name>RankingModel</name>
    <message>
        <source>Rank</source>
        <translation>名次</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Expert no.</source>
        <translation>专家编号</translation>
    </message>
    <message>
        <source>Specialty</source>
        <translation>专业</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>扣分</translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation>场次</translation>
    </message>
    <message>
        <source>Marks</source>
        <translation>扣分项</translation>
    </message>
    <message>
        <source>Serious</source>
        <translation>严重项</translation>
    </message>
    <message>
        <source>Pool status</source>
        <translation>库状态</translation>
    </message>
</context>
<context>
    <name>RankingTab</name>
    <message>
        <source>Yearly ranking</source>
        <translation>年度排名</translation>
    </message>
    <message>
        <source>Name, expert no. (Ctrl+F)</source>
        <translation>姓名、专家编号（Ctrl+F）</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>年度</translation>
    </message>
    <message>
        <source>Year </source>
        <translation>年度 </translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>打印(&amp;P)…</translation>
    </message>
    <message>
        <source>The ranking as a table report (Ctrl+P)</source>
        <translation>以报表打印排名（Ctrl+P）</translation>
    </message>
    <message>
        <source>E&amp;xport…</source>
        <translation>导出(&amp;X)…</translation>
    </message>
    <message>
        <source>The year's evaluations, one row per mark, to an Excel file</source>
        <translation>将本年度的考评导出为 Excel 文件，每条扣分一行</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>No expert was marked in this year.</source>
        <translation>本年度没有专家被扣分。</translation>
    </message>
    <message numerus="yes">
        <source>%n expert(s)</source>
        <translation>
            <numerusform>%n 名专家</numerusform>
        </translation>
    </message>
    <message>
        <source>expert-evaluations-%1.xlsx</source>
        <translation>专家考评-%1.xlsx</translation>
    </message>
    <message>
        <source>Export the year's evaluations</source>
        <translation>导出年度考评</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>The evaluations of %1 were saved to %2.</source>
        <translation>%1年度的考评已保存到 %2。</translation>
    </message>
</context>
<context>
    <name>RecentTab</name>
    <message>
        <source>Recently changed records</source>
        <translation>最近变更的记录</translation>
    </message>
    <message>
        <source>Attach file…</source>
        <translation>添加附件…</translation>
    </message>
    <message>
        <source>Add the decision document</source>
        <translation>添加决定文书</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>File attached to the record of “%1”.</source>
        <translation>已为“%1”的记录添加附件。</translation>
    </message>
</context>
<context>
    <name>RecentTableModel</name>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>RecordBreakDialog</name>
    <message>
        <source>Record a break in the audit chain</source>
        <translation>记录审计链断裂</translation>
    </message>
    <message>
        <source>The audit chain is damaged: %1

Record what you found and how. A new segment then starts after entry %2, the last one that verifies; audited work resumes, and every verification from now on reports this break with your account and your words.</source>
        <translation>审计链已损坏：%1

请写明发现了什么、如何发现。记录后，新段将接在最后一条校验通过的记录（第 %2 条）之后开始，业务操作随即恢复；此后每次校验都会报告这处断裂，连同您的账户和说明。</translation>
    </message>
    <message>
        <source>Found:</source>
        <translation>发现情况：</translation>
    </message>
    <message>
        <source>What was found</source>
        <translation>发现情况</translation>
    </message>
    <message>
        <source>e.g. 末尾有一条无法核实的记录；已通知信息科保全数据库日志</source>
        <translation>例如：末尾有一条无法核实的记录；已通知信息科保全数据库日志</translation>
    </message>
    <message>
        <source>Record break</source>
        <translation>记录断裂</translation>
    </message>
</context>
<context>
    <name>RecordDialog</name>
    <message>
        <source>New credit record</source>
        <translation>新增信用记录</translation>
    </message>
    <message>
        <source>Subject:</source>
        <translation>主体：</translation>
    </message>
    <message>
        <source>Record kind:</source>
        <translation>记录类别：</translation>
    </message>
    <message>
        <source>Record kind</source>
        <translation>记录类别</translation>
    </message>
    <message>
        <source>Severity:</source>
        <translation>严重程度：</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <source>Decision date:</source>
        <translation>决定日期：</translation>
    </message>
    <message>
        <source>Decision date</source>
        <translation>决定日期</translation>
    </message>
    <message>
        <source>Facts:</source>
        <translation>事实：</translation>
    </message>
    <message>
        <source>Facts</source>
        <translation>事实</translation>
    </message>
    <message>
        <source>Legal basis:</source>
        <translation>依据：</translation>
    </message>
    <message>
        <source>Legal basis</source>
        <translation>依据</translation>
    </message>
    <message>
        <source>Decided by:</source>
        <translation>决定机关：</translation>
    </message>
    <message>
        <source>Deciding authority</source>
        <translation>决定机关</translation>
    </message>
    <message>
        <source>Decision no.:</source>
        <translation>决定文号：</translation>
    </message>
    <message>
        <source>Decision document number</source>
        <translation>决定文号</translation>
    </message>
    <message>
        <source>Published at least until:</source>
        <translation>最短公示至：</translation>
    </message>
    <message>
        <source>End of the minimum publicity period</source>
        <translation>最短公示期限截止日期</translation>
    </message>
    <message>
        <source>Published until:</source>
        <translation>公示截止：</translation>
    </message>
    <message>
        <source>End of publicity</source>
        <translation>公示截止日期</translation>
    </message>
    <message>
        <source>Ban from:</source>
        <translation>禁入开始：</translation>
    </message>
    <message>
        <source>First day of the ban</source>
        <translation>禁入开始日期</translation>
    </message>
    <message>
        <source>Ban until:</source>
        <translation>禁入截止：</translation>
    </message>
    <message>
        <source>Last day of the ban</source>
        <translation>禁入截止日期</translation>
    </message>
    <message>
        <source>Points:</source>
        <translation>分值：</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>分值</translation>
    </message>
    <message>
        <source>Deducted from the score (added for good conduct) while the record is in force</source>
        <translation>记录有效期间从信用分中扣除（良好记录为加分）</translation>
    </message>
    <message>
        <source>As a center leader, your entry ban or serious-list record takes effect when saved.</source>
        <translation>您是中心领导，您录入的禁止入场或严重失信记录保存后即生效。</translation>
    </message>
    <message>
        <source>An entry ban or serious-list record you enter waits for a center leader's confirmation. Until a leader confirms it, it does not bar entry. Deciding authority and decision number are required.</source>
        <translation>您录入的禁止入场或严重失信记录须经中心领导确认后才生效，确认前不影响入场。须填写决定机关和决定文号。</translation>
    </message>
</context>
<context>
    <name>RecordTableModel</name>
    <message>
        <source>{label}: {value}</source>
        <translation>{label}：{value}</translation>
    </message>
</context>
<context>
    <name>RejectDialog</name>
    <message>
        <source>Do not accept the complaint</source>
        <translation>不予受理</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>理由：</translation>
    </message>
    <message>
        <source>Reason for not accepting</source>
        <translation>不予受理理由</translation>
    </message>
    <message>
        <source>Do not accept</source>
        <translation>不予受理</translation>
    </message>
</context>
<context>
    <name>RepairDecisionDialog</name>
    <message>
        <source>Decide on credit repair</source>
        <translation>信用修复决定</translation>
    </message>
    <message>
        <source>Application no. %1</source>
        <translation>修复申请第 %1 号</translation>
    </message>
    <message>
        <source>Applied on %1 by %2: %3</source>
        <translation>%1 由 %2 申请：%3</translation>
    </message>
    <message>
        <source>Application:</source>
        <translation>修复申请：</translation>
    </message>
    <message>
        <source>Decision:</source>
        <translation>决定：</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>决定</translation>
    </message>
    <message>
        <source>Approve the repair</source>
        <translation>准予修复</translation>
    </message>
    <message>
        <source>Reject the repair</source>
        <translation>不予修复</translation>
    </message>
    <message>
        <source>Decided on:</source>
        <translation>决定日期：</translation>
    </message>
    <message>
        <source>Decision date</source>
        <translation>决定日期</translation>
    </message>
    <message>
        <source>Decision no.:</source>
        <translation>决定文号：</translation>
    </message>
    <message>
        <source>Decision document number</source>
        <translation>决定文号</translation>
    </message>
    <message>
        <source>Note:</source>
        <translation>说明：</translation>
    </message>
    <message>
        <source>Decision note</source>
        <translation>决定说明</translation>
    </message>
    <message>
        <source>Required when rejecting</source>
        <translation>不予修复时必填</translation>
    </message>
    <message>
        <source>An approved repair ends the record's effect from the decision date on.</source>
        <translation>准予修复后，该记录自决定日期起不再生效。</translation>
    </message>
</context>
<context>
    <name>RepairRequestDialog</name>
    <message>
        <source>Credit repair application</source>
        <translation>信用修复申请</translation>
    </message>
    <message>
        <source>Record:</source>
        <translation>记录：</translation>
    </message>
    <message>
        <source>Applied on:</source>
        <translation>申请日期：</translation>
    </message>
    <message>
        <source>Application date</source>
        <translation>申请日期</translation>
    </message>
    <message>
        <source>Applicant:</source>
        <translation>申请人：</translation>
    </message>
    <message>
        <source>Applicant</source>
        <translation>申请人</translation>
    </message>
    <message>
        <source>Materials:</source>
        <translation>申请材料：</translation>
    </message>
    <message>
        <source>Materials submitted</source>
        <translation>申请材料</translation>
    </message>
    <message>
        <source>e.g. 信用修复申请书、整改报告、信用承诺书</source>
        <translation>例如 信用修复申请书、整改报告、信用承诺书</translation>
    </message>
    <message>
        <source>Repair may be applied for after the minimum publicity period, which ends on %1.</source>
        <translation>最短公示期限至 %1，期满后方可申请修复。</translation>
    </message>
</context>
<context>
    <name>RevealDialog</name>
    <message>
        <source>View personal data</source>
        <translation>查看个人信息明文</translation>
    </message>
    <message>
        <source>Viewing personal data of %1 (%2) is recorded in the audit log with your reason.</source>
        <translation>查看 %1（%2）的个人信息明文，将连同您填写的原因记入审计日志。</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>手机/电话</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Item:</source>
        <translation>项目：</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>查看原因</translation>
    </message>
    <message>
        <source>At least 4 characters, e.g. 核对投诉人身份</source>
        <translation>至少 4 个字，例如 核对投诉人身份</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>原因：</translation>
    </message>
    <message>
        <source>Value in clear</source>
        <translation>明文</translation>
    </message>
    <message>
        <source>Value:</source>
        <translation>明文：</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>查看明文</translation>
    </message>
    <message>
        <source>(not recorded)</source>
        <translation>（未登记）</translation>
    </message>
    <message>
        <source>phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Viewing the %1 of %2 in clear is recorded in the audit log with your reason.</source>
        <translation>查看“%2”的%1明文，将连同您填写的原因记入审计日志。</translation>
    </message>
    <message>
        <source>e.g. 核对投诉人身份</source>
        <translation>例如 核对投诉人身份</translation>
    </message>
</context>
<context>
    <name>Roles</name>
    <message>
        <source>Hall staff</source>
        <translation>大厅工作人员</translation>
    </message>
    <message>
        <source>Department head</source>
        <translation>科室负责人</translation>
    </message>
    <message>
        <source>Center leader</source>
        <translation>中心领导</translation>
    </message>
    <message>
        <source>System administrator</source>
        <translation>系统管理员</translation>
    </message>
    <message>
        <source>Audit administrator</source>
        <translation>审计管理员</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
</context>
<context>
    <name>RosterModel</name>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Expert no.</source>
        <translation>专家编号</translation>
    </message>
    <message>
        <source>Specialty</source>
        <translation>专业</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Pool status</source>
        <translation>库状态</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>本年扣分</translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation>本年场次</translation>
    </message>
    <message>
        <source>Proposals waiting</source>
        <translation>待确认建议</translation>
    </message>
</context>
<context>
    <name>RuleDialog</name>
    <message>
        <source>Correct catalogue version</source>
        <translation>更正目录版本</translation>
    </message>
    <message>
        <source>New catalogue version</source>
        <translation>新建目录版本</translation>
    </message>
    <message>
        <source>Record kind:</source>
        <translation>记录类别：</translation>
    </message>
    <message>
        <source>Record kind</source>
        <translation>记录类别</translation>
    </message>
    <message>
        <source>Severity:</source>
        <translation>严重程度：</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <source>Effective from:</source>
        <translation>生效日期：</translation>
    </message>
    <message>
        <source>Effective from</source>
        <translation>生效日期</translation>
    </message>
    <message>
        <source>Publicity at least:</source>
        <translation>最短公示：</translation>
    </message>
    <message>
        <source>Publicity at most:</source>
        <translation>最长公示：</translation>
    </message>
    <message>
        <source>Points:</source>
        <translation>分值：</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>分值</translation>
    </message>
    <message>
        <source>Ban length:</source>
        <translation>禁入期限：</translation>
    </message>
    <message>
        <source>Correcting changes this version for every record decided while it is in force. For a change of policy, add a new version from a date instead.</source>
        <translation>更正将影响该版本有效期内决定的所有记录的默认值。如属政策调整，请改为自某日起新建版本。</translation>
    </message>
    <message>
        <source>Records decided on or after the effective date get these defaults; older ones keep theirs.</source>
        <translation>决定日期在生效日期当天或之后的记录采用这些默认值；此前的记录保持原值。</translation>
    </message>
    <message>
        <source> months</source>
        <translation> 个月</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Correct threshold rule</source>
        <translation>更正阈值规则</translation>
    </message>
    <message>
        <source>New threshold rule</source>
        <translation>新的阈值规则</translation>
    </message>
    <message>
        <source>&amp;Effective from:</source>
        <translation>生效日期(&amp;E)：</translation>
    </message>
    <message>
        <source>Points &amp;add up:</source>
        <translation>累计方式(&amp;A)：</translation>
    </message>
    <message>
        <source>Points add up</source>
        <translation>累计方式</translation>
    </message>
    <message>
        <source>&amp;Notify and publish at:</source>
        <translation>通报并公开(&amp;N)：</translation>
    </message>
    <message>
        <source> points</source>
        <translation> 分</translation>
    </message>
    <message>
        <source>&amp;Propose a suspension at:</source>
        <translation>建议暂停(&amp;P)：</translation>
    </message>
    <message>
        <source>A &amp;serious item alone proposes a suspension</source>
        <translation>存在严重违规项即建议暂停(&amp;S)</translation>
    </message>
    <message>
        <source>A serious item proposes a suspension</source>
        <translation>严重违规项即建议暂停</translation>
    </message>
    <message>
        <source>Suspension &amp;length:</source>
        <translation>暂停期限(&amp;L)：</translation>
    </message>
    <message>
        <source>Marks on or after the effective date are weighed by this rule; a threshold of 0 is never reached. Proposals already made stay as they are.</source>
        <translation>生效日期当日及以后的扣分按此规则计算；阈值为 0 表示不适用。已提出的处理建议保持不变。</translation>
    </message>
</context>
<context>
    <name>RuleTableModel</name>
    <message>
        <source>Effective from</source>
        <translation>生效日期</translation>
    </message>
    <message>
        <source>Points add up</source>
        <translation>累计方式</translation>
    </message>
    <message>
        <source>Notify at</source>
        <translation>通报分值</translation>
    </message>
    <message>
        <source>Suspend at</source>
        <translation>暂停分值</translation>
    </message>
    <message>
        <source>Serious item suspends</source>
        <translation>严重项即暂停</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Months suspended</source>
        <translation>暂停月数</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>RuleValueDialog</name>
    <message>
        <source>Set a complaints rule from a date</source>
        <translation>自某日起调整投诉规则</translation>
    </message>
    <message>
        <source>&amp;Figure:</source>
        <translation>项目(&amp;F)：</translation>
    </message>
    <message>
        <source>Figure</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>&amp;Effective from:</source>
        <translation>生效日期(&amp;E)：</translation>
    </message>
    <message>
        <source>Effective from</source>
        <translation>生效日期</translation>
    </message>
    <message>
        <source>&amp;Value:</source>
        <translation>取值(&amp;V)：</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>取值</translation>
    </message>
    <message>
        <source>The value applies from this date on; the days before it keep the value in force then (a complaint's time limits go by the day it was received).</source>
        <translation>新取值自生效日期起适用，此前各日仍按当时有效的取值（投诉的办理时限按收到投诉之日计）。</translation>
    </message>
    <message>
        <source>Allowed: %1 to %2.</source>
        <translation>取值范围：%1 至 %2。</translation>
    </message>
    <message>
        <source>A version from this date exists (%1): saving changes it.</source>
        <translation>该日期已有一个版本（%1），保存将修改该版本。</translation>
    </message>
    <message>
        <source>On that date %1 applies (from %2): saving adds a version.</source>
        <translation>该日适用的取值为 %1（自 %2 起），保存将新增一个版本。</translation>
    </message>
    <message>
        <source>No value before that date: saving adds the first version.</source>
        <translation>该日期之前没有取值，保存将新增第一个版本。</translation>
    </message>
</context>
<context>
    <name>RuleVersionsSection</name>
    <message>
        <source>Versions</source>
        <translation>各版本</translation>
    </message>
    <message>
        <source>Change this version…</source>
        <translation>修改此版本…</translation>
    </message>
    <message>
        <source>Set another value from the same date</source>
        <translation>同一生效日期改为另一取值</translation>
    </message>
    <message>
        <source>Versions of: %1</source>
        <translation>各版本：%1</translation>
    </message>
</context>
<context>
    <name>SchemeDialog</name>
    <message>
        <source>New scheme version</source>
        <translation>新的方案版本</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N)：</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Effective from (&amp;month):</source>
        <translation>起始月份(&amp;M)：</translation>
    </message>
    <message>
        <source>Effective from</source>
        <translation>起始月份</translation>
    </message>
    <message>
        <source>e.g. %1</source>
        <translation>例如 %1</translation>
    </message>
    <message>
        <source>Ma&amp;ximum:</source>
        <translation>最高分(&amp;X)：</translation>
    </message>
    <message>
        <source>Maximum</source>
        <translation>最高分</translation>
    </message>
    <message>
        <source>&amp;Default scheme (for posts not mapped)</source>
        <translation>默认方案（用于未对应方案的岗位）(&amp;D)</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>默认</translation>
    </message>
    <message>
        <source>N&amp;ote:</source>
        <translation>说明(&amp;O)：</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Dimension</source>
        <translation>维度</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>考核项目</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>分值</translation>
    </message>
    <message>
        <source>Least</source>
        <translation>最低</translation>
    </message>
    <message>
        <source>Most</source>
        <translation>最高</translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation>须附依据</translation>
    </message>
    <message>
        <source>Veto</source>
        <translation>否决</translation>
    </message>
    <message>
        <source>Arrives from</source>
        <translation>自动来源</translation>
    </message>
    <message>
        <source>&amp;Items:</source>
        <translation>考核项目(&amp;I)：</translation>
    </message>
    <message>
        <source>Items</source>
        <translation>考核项目</translation>
    </message>
    <message>
        <source>&amp;Add a line</source>
        <translation>添加一行(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Remove the line</source>
        <translation>删除该行(&amp;R)</translation>
    </message>
    <message>
        <source>Dimension: 德 能 勤 绩 廉; kind: 基本分 加分 扣分; arrives from: 投诉属实 超期办结 差评回访 表扬 政务失信记录 or empty. Base points add up to 100. Months before the effective month keep their version.</source>
        <translation>维度：德 能 勤 绩 廉；类别：基本分 加分 扣分；自动来源：投诉属实 超期办结 差评回访 表扬 政务失信记录 或留空。基本分合计 100 分。起始月份之前的月份沿用原版本。</translation>
    </message>
    <message>
        <source>Line %1: </source>
        <translation>第 %1 行：</translation>
    </message>
    <message>
        <source>the dimension is one of 德 能 勤 绩 廉.</source>
        <translation>维度应为 德 能 勤 绩 廉 之一。</translation>
    </message>
    <message>
        <source>the kind is one of 基本分 加分 扣分.</source>
        <translation>类别应为 基本分 加分 扣分 之一。</translation>
    </message>
    <message>
        <source>it arrives from 投诉属实, 超期办结, 差评回访, 表扬, 政务失信记录 or nothing.</source>
        <translation>自动来源应为 投诉属实、超期办结、差评回访、表扬、政务失信记录 之一或留空。</translation>
    </message>
    <message>
        <source>points are numbers.</source>
        <translation>分值应为数字。</translation>
    </message>
</context>
<context>
    <name>SchemeItemTableModel</name>
    <message>
        <source>Code</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Dimension</source>
        <translation>维度</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>考核项目</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>分值</translation>
    </message>
    <message>
        <source>Range</source>
        <translation>分值范围</translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation>须附依据</translation>
    </message>
    <message>
        <source>Veto</source>
        <translation>否决</translation>
    </message>
    <message>
        <source>Arrives from</source>
        <translation>自动来源</translation>
    </message>
</context>
<context>
    <name>SchemeTableModel</name>
    <message>
        <source>Scheme</source>
        <translation>考核方案</translation>
    </message>
    <message>
        <source>Effective from</source>
        <translation>起始月份</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>默认</translation>
    </message>
    <message>
        <source>Maximum</source>
        <translation>最高分</translation>
    </message>
    <message>
        <source>Items</source>
        <translation>考核项目</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
</context>
<context>
    <name>ScoreRuleDialog</name>
    <message>
        <source>Correct score rule version</source>
        <translation>更正评分规则版本</translation>
    </message>
    <message>
        <source>New score rule version</source>
        <translation>新建评分规则版本</translation>
    </message>
    <message>
        <source>Effective from:</source>
        <translation>生效日期：</translation>
    </message>
    <message>
        <source>Effective from</source>
        <translation>生效日期</translation>
    </message>
    <message>
        <source>Base score:</source>
        <translation>基础分：</translation>
    </message>
    <message>
        <source>Base score</source>
        <translation>基础分</translation>
    </message>
    <message>
        <source>Grades</source>
        <translation>等级划分</translation>
    </message>
    <message>
        <source>Grade</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>Lowest score</source>
        <translation>最低分</translation>
    </message>
    <message>
        <source>Add grade</source>
        <translation>增加等级</translation>
    </message>
    <message>
        <source>Remove last grade</source>
        <translation>删除最后一级</translation>
    </message>
    <message>
        <source>Grades:</source>
        <translation>等级划分：</translation>
    </message>
    <message>
        <source>Lowest grade:</source>
        <translation>最低等级：</translation>
    </message>
    <message>
        <source>Lowest grade</source>
        <translation>最低等级</translation>
    </message>
    <message>
        <source>The grade of a score below every band, and of a file barred from entry on that day</source>
        <translation>得分低于以上各等级最低分时的等级；当日被禁止入场的主体也定为此等级</translation>
    </message>
    <message>
        <source>Correcting changes the score and grade of every file on the days this version is in force. For a change of policy, add a new version from a date instead.</source>
        <translation>更正会改变本版本有效期间内所有主体的得分和等级。如属政策调整，请改为自某日起新增版本。</translation>
    </message>
    <message>
        <source>Scores and grades on or after the effective date use this rule; earlier days keep the rule in force then. The grade is information only, never an entry condition.</source>
        <translation>生效日期当天及以后的得分和等级按本规则计算，此前各日仍按当时有效的规则。信用等级仅供参考，不作为入场条件。</translation>
    </message>
    <message>
        <source>Grade %1 name</source>
        <translation>第 %1 级名称</translation>
    </message>
    <message>
        <source>Grade %1 lowest score</source>
        <translation>第 %1 级最低分</translation>
    </message>
</context>
<context>
    <name>ScoreRulesSection</name>
    <message>
        <source>Credit score rules</source>
        <translation>信用评分规则</translation>
    </message>
    <message>
        <source>Credit score and grades</source>
        <translation>信用评分与等级</translation>
    </message>
    <message>
        <source>New version from a date…</source>
        <translation>自某日起新版本…</translation>
    </message>
    <message>
        <source>Change the score rule from a date on; earlier days keep theirs</source>
        <translation>自某日起调整评分规则，此前各日仍按原规则</translation>
    </message>
    <message>
        <source>Correct this version…</source>
        <translation>更正此版本…</translation>
    </message>
    <message>
        <source>Fix a version entered wrongly</source>
        <translation>更正录入有误的版本</translation>
    </message>
    <message>
        <source>Score rule from %1 saved.</source>
        <translation>自 %1 起的评分规则已保存。</translation>
    </message>
</context>
<context>
    <name>ScoreTableModel</name>
    <message>
        <source>Effective from</source>
        <translation>生效日期</translation>
    </message>
    <message>
        <source>Base score</source>
        <translation>基础分</translation>
    </message>
    <message>
        <source>Grades</source>
        <translation>等级划分</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>otherwise %1</source>
        <translation>其余 %1</translation>
    </message>
</context>
<context>
    <name>ScoringCalibration</name>
    <message>
        <source>Lenient</source>
        <translation>偏宽</translation>
    </message>
    <message>
        <source>Harsh</source>
        <translation>偏严</translation>
    </message>
</context>
<context>
    <name>ScoringLabels</name>
    <message>
        <source>Base</source>
        <translation>基本分</translation>
    </message>
    <message>
        <source>Deduction</source>
        <translation>扣分</translation>
    </message>
    <message>
        <source>Bonus</source>
        <translation>加分</translation>
    </message>
    <message>
        <source>Being filled</source>
        <translation>填写中</translation>
    </message>
    <message>
        <source>Being filled in</source>
        <translation>填写中</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>已提交</translation>
    </message>
    <message>
        <source>Locked</source>
        <translation>已锁定</translation>
    </message>
    <message>
        <source>Conduct</source>
        <translation>德</translation>
    </message>
    <message>
        <source>Ability</source>
        <translation>能</translation>
    </message>
    <message>
        <source>Diligence</source>
        <translation>勤</translation>
    </message>
    <message>
        <source>Performance</source>
        <translation>绩</translation>
    </message>
    <message>
        <source>Integrity</source>
        <translation>廉</translation>
    </message>
    <message>
        <source>Poor follow-up rating</source>
        <translation>差评回访</translation>
    </message>
    <message>
        <source>Commendation</source>
        <translation>表扬</translation>
    </message>
    <message>
        <source>Contested</source>
        <translation>申诉中</translation>
    </message>
    <message>
        <source>Upheld</source>
        <translation>申诉未采纳</translation>
    </message>
    <message>
        <source>Withdrawn</source>
        <translation>已撤销</translation>
    </message>
    <message>
        <source>contested</source>
        <translation>申诉中</translation>
    </message>
    <message>
        <source>contest not accepted</source>
        <translation>申诉未采纳</translation>
    </message>
    <message>
        <source>withdrawn</source>
        <translation>已撤销</translation>
    </message>
    <message>
        <source>Complaint found true</source>
        <translation>投诉属实</translation>
    </message>
    <message>
        <source>Case closed late</source>
        <translation>超期办结</translation>
    </message>
    <message>
        <source>Bad rating at follow-up</source>
        <translation>差评回访</translation>
    </message>
    <message>
        <source>Praise</source>
        <translation>表扬</translation>
    </message>
    <message>
        <source>Staff integrity record</source>
        <translation>政务失信记录</translation>
    </message>
</context>
<context>
    <name>ScoringMonths</name>
    <message>
        <source>Reason:</source>
        <translation>理由：</translation>
    </message>
    <message>
        <source>Reopen %1's month %2 for correction. Every sheet is copied as revision %3; revision %4 stays readable and comparable. Deductions that arrived after the lock come in with it.</source>
        <translation>重新开启%1 %2 的考核进行更正。每张评分表复制为第 %3 版；第 %4 版仍可查阅、比对。锁定后到达的扣分随之计入。</translation>
    </message>
    <message>
        <source>Reopen the month</source>
        <translation>重新开启月度考核</translation>
    </message>
    <message>
        <source>Reopen</source>
        <translation>重新开启</translation>
    </message>
    <message>
        <source>e.g. a complaint found true after the lock</source>
        <translation>例如：锁定后有投诉查实</translation>
    </message>
</context>
<context>
    <name>ScoringPage</name>
    <message>
        <source>&amp;Month:</source>
        <translation>月份(&amp;M)：</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>Monthly scoring</source>
        <translation>月度考核</translation>
    </message>
    <message>
        <source>Departments</source>
        <translation>各科室</translation>
    </message>
    <message>
        <source>My department</source>
        <translation>本科室</translation>
    </message>
    <message>
        <source>Calibration</source>
        <translation>校准</translation>
    </message>
    <message>
        <source>Late arrivals</source>
        <translation>迟到扣分</translation>
    </message>
    <message>
        <source>Contests</source>
        <translation>申诉</translation>
    </message>
    <message>
        <source>Quarter</source>
        <translation>季度</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>年度</translation>
    </message>
    <message>
        <source>Charts</source>
        <translation>图表</translation>
    </message>
    <message>
        <source>My results</source>
        <translation>我的考核</translation>
    </message>
    <message>
        <source>Your account is not linked to a staff member: there are no results to show.</source>
        <translation>您的账户未关联人员，没有可显示的考核结果。</translation>
    </message>
</context>
<context>
    <name>ScoringSchemes</name>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
</context>
<context>
    <name>ScoringSchemesTab</name>
    <message>
        <source>Scoring schemes</source>
        <translation>考核方案</translation>
    </message>
    <message>
        <source>&amp;New version from a month…</source>
        <translation>自某月起的新版本(&amp;N)…</translation>
    </message>
    <message>
        <source>A scheme's items from a month on; months already scored keep theirs (Ctrl+N)</source>
        <translation>自某月起启用的方案项目；已评分的月份沿用原版本（Ctrl+N）</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Items of the scheme</source>
        <translation>方案的考核项目</translation>
    </message>
    <message>
        <source>%1 from %2 saved.</source>
        <translation>已保存%1（自 %2 起）。</translation>
    </message>
</context>
<context>
    <name>ScoringSheet</name>
    <message>
        <source>%1… (type on)</source>
        <translation>%1…（请继续输入）</translation>
    </message>
    <message>
        <source>%1: points from %2 to %3</source>
        <translation>%1：分值为%2至%3</translation>
    </message>
    <message>
        <source>This line arrived by itself from its source: contest it (Enter) rather than change it.</source>
        <translation>此项由来源自动生成，不能修改或删除：如有异议请申诉（回车）。</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>评分项</translation>
    </message>
    <message>
        <source>Range</source>
        <translation>分值</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>得分</translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation>依据</translation>
    </message>
    <message>
        <source>Remark</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Evidence required</source>
        <translation>须填依据</translation>
    </message>
    <message>
        <source>Veto: caps the month's grade</source>
        <translation>一票否决：限制本月等次</translation>
    </message>
    <message>
        <source>Contested: %1</source>
        <translation>申诉理由：%1</translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <source>Integrity Desk</source>
        <translation>诚信服务台</translation>
    </message>
    <message>
        <source>Today's automatic backup could not be made.</source>
        <translation>今日自动备份未能完成。</translation>
    </message>
    <message>
        <source>{problem}

The program works, but there is no backup of today's data until this is fixed. Free disk space (or fix the backups folder), then make a backup.

Log file: {log}</source>
        <translation>{problem}

程序可以继续使用，但在问题解决之前，今天的数据没有备份。请释放磁盘空间（或修复备份文件夹），然后进行一次备份。

日志文件：{log}</translation>
    </message>
</context>
<context>
    <name>SessionDialog</name>
    <message>
        <source>New evaluation session</source>
        <translation>新建考评场次</translation>
    </message>
    <message>
        <source>Session %1</source>
        <translation>考评场次 %1</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Experts: type a name, expert number, ID number or pinyin initials, then Down and Enter; Delete removes one, Ctrl+Up/Down orders them. Ctrl+Enter saves.</source>
        <translation>专家：输入姓名、专家编号、身份证号或拼音首字母，按下箭头和回车添加；Delete 删除，Ctrl+上/下 调整顺序。Ctrl+回车 保存。</translation>
    </message>
    <message>
        <source>Pro&amp;ject code:</source>
        <translation>项目编号(&amp;J)：</translation>
    </message>
    <message>
        <source>Project &amp;name:</source>
        <translation>项目名称(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Trade category:</source>
        <translation>交易类别(&amp;T)：</translation>
    </message>
    <message>
        <source>Choose (Down)</source>
        <translation>请选择（下箭头）</translation>
    </message>
    <message>
        <source>&amp;Room:</source>
        <translation>评标室(&amp;R)：</translation>
    </message>
    <message>
        <source>Sc&amp;heduled start:</source>
        <translation>计划开始(&amp;H)：</translation>
    </message>
    <message>
        <source>Scheduled &amp;end:</source>
        <translation>计划结束(&amp;E)：</translation>
    </message>
    <message>
        <source>&amp;Actual start:</source>
        <translation>实际开始(&amp;A)：</translation>
    </message>
    <message>
        <source>Actual en&amp;d:</source>
        <translation>实际结束(&amp;D)：</translation>
    </message>
    <message>
        <source>&amp;Witness:</source>
        <translation>见证人(&amp;W)：</translation>
    </message>
    <message>
        <source>Find an expert</source>
        <translation>查找专家</translation>
    </message>
    <message>
        <source>Name, expert number, ID number or pinyin initials</source>
        <translation>姓名、专家编号、身份证号或拼音首字母</translation>
    </message>
    <message>
        <source>Find e&amp;xpert:</source>
        <translation>查找专家(&amp;X)：</translation>
    </message>
    <message>
        <source>Experts present</source>
        <translation>到场专家</translation>
    </message>
    <message>
        <source>Experts &amp;present:</source>
        <translation>到场专家(&amp;P)：</translation>
    </message>
    <message>
        <source>Paste the drawn &amp;list…</source>
        <translation>粘贴抽取名单(&amp;L)…</translation>
    </message>
    <message>
        <source>&amp;Import the list file…</source>
        <translation>导入名单文件(&amp;I)…</translation>
    </message>
    <message>
        <source>%1 is already in the list.</source>
        <translation>%1 已在名单中。</translation>
    </message>
    <message>
        <source>%1: %2 — cannot sit on this evaluation.</source>
        <translation>%1：%2，不能参加本场评标。</translation>
    </message>
    <message>
        <source>Import the drawn-experts list</source>
        <translation>导入抽取专家名单</translation>
    </message>
    <message>
        <source>Lists (*.xlsx *.csv)</source>
        <translation>名单文件 (*.xlsx *.csv)</translation>
    </message>
    <message>
        <source>Line %1 (%2): %3</source>
        <translation>第%1行（%2）：%3</translation>
    </message>
    <message>
        <source>no such expert</source>
        <translation>未找到该专家</translation>
    </message>
    <message>
        <source>No staff member of that name.</source>
        <translation>没有这个名字的工作人员。</translation>
    </message>
    <message>
        <source>Paste the drawn list</source>
        <translation>粘贴抽取名单</translation>
    </message>
    <message>
        <source>One expert per line: expert number or ID number, then the name (separated by a tab, a comma or a space).</source>
        <translation>每行一位专家：专家编号或身份证号，然后是姓名（以制表符、逗号或空格分隔）。</translation>
    </message>
</context>
<context>
    <name>SessionGridWindow</name>
    <message>
        <source>Evaluation grid</source>
        <translation>考评表</translation>
    </message>
    <message>
        <source>Remark</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>&amp;Session details…</source>
        <translation>场次信息(&amp;S)…</translation>
    </message>
    <message>
        <source>Sign off and &amp;finalise (Ctrl+Enter)</source>
        <translation>签认定稿(&amp;F)（Ctrl+回车）</translation>
    </message>
    <message>
        <source>&amp;Print form… (Ctrl+P)</source>
        <translation>打印考评表(&amp;P)…（Ctrl+P）</translation>
    </message>
    <message>
        <source>Result &amp;notice…</source>
        <translation>结果告知书(&amp;N)…</translation>
    </message>
    <message>
        <source>The evaluation result notice of the expert in the current column (finalised sessions, experts with deductions)</source>
        <translation>当前列专家的考评结果告知书（已定稿场次中有扣分的专家）</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>关闭(&amp;C)</translation>
    </message>
    <message>
        <source>Expert evaluation %1 — %2</source>
        <translation>评标专家现场考评 %1 — %2</translation>
    </message>
    <message>
        <source>Witness: %1</source>
        <translation>见证人：%1</translation>
    </message>
    <message>
        <source>Finalised, revision %1, %2 by %3</source>
        <translation>已定稿（第%1版），%2，%3</translation>
    </message>
    <message>
        <source>%1 (correction: revision %2)</source>
        <translation>%1（更正：第%2版）</translation>
    </message>
    <message>
        <source>finalise by %1</source>
        <translation>须于%1前定稿</translation>
    </message>
    <message>
        <source>Read only: this session is finalised. Arrows move; the remark of a cell shows below; Ctrl+P prints the form for the signatures.</source>
        <translation>只读：本场考评已定稿。方向键移动；单元格的备注显示在下方；Ctrl+P 打印考评表供签字。</translation>
    </message>
    <message>
        <source>Arrows move · Space marks with the default points (again: unmarks) · digits set the points · Delete unmarks · Enter: the remark · Ctrl+Enter signs off</source>
        <translation>方向键移动 · 空格按默认分值标记（再按取消）· 数字键设定扣分 · Delete 取消标记 · 回车填写备注 · Ctrl+回车 签认定稿</translation>
    </message>
    <message>
        <source>draft kept %1</source>
        <translation>草稿已保存于 %1</translation>
    </message>
    <message>
        <source>This session is finalised: it cannot be changed.</source>
        <translation>本场考评已定稿，不能修改。</translation>
    </message>
    <message>
        <source>Marks go in the cells of an item and an expert.</source>
        <translation>请在考评项目与专家交叉的单元格中标记。</translation>
    </message>
    <message>
        <source>&amp;General remark on %1:</source>
        <translation>%1 的总体评价(&amp;G)：</translation>
    </message>
    <message>
        <source>&amp;Remark on %1, %2:</source>
        <translation>%1 · %2 备注(&amp;R)：</translation>
    </message>
    <message>
        <source>&amp;Remark:</source>
        <translation>备注(&amp;R)：</translation>
    </message>
    <message>
        <source>Mark the cell first (Space), then Enter for its remark.</source>
        <translation>请先按空格标记此项，再按回车填写备注。</translation>
    </message>
    <message>
        <source>Draft kept</source>
        <translation>有未定稿的草稿</translation>
    </message>
    <message>
        <source>This grid was being filled and not finalised (kept at %1 by %2). Continue with it?

Yes: continue with the draft. No: discard it.</source>
        <translation>这张考评表填写后尚未定稿（%2 保存于 %1）。是否继续填写？

是：继续使用草稿。否：丢弃草稿。</translation>
    </message>
    <message>
        <source>Put the cursor in the column of the expert the notice is for.</source>
        <translation>请将光标移到要出具告知书的专家所在列。</translation>
    </message>
    <message>
        <source>%1: %2 points (%3 marks)</source>
        <translation>%1：扣 %2 分（%3 项）</translation>
    </message>
    <message>
        <source>Sign off</source>
        <translation>签认定稿</translation>
    </message>
    <message>
        <source>Sign off the evaluation %1 with these totals?

%2

Each mark becomes a deduction in the expert's credit file and the session is locked: only a leader can reopen it.</source>
        <translation>按以下合计签认考评 %1？

%2

每一项扣分将记入该专家的信用档案，本场考评随即锁定：只有中心领导可以重新打开。</translation>
    </message>
    <message>
        <source>Finalised</source>
        <translation>已定稿</translation>
    </message>
    <message>
        <source>The evaluation %1 is finalised: %2 deductions entered in the experts' credit files.</source>
        <translation>考评 %1 已定稿：%2 条扣分已记入专家信用档案。</translation>
    </message>
    <message>
        <source>%1 deductions of the earlier revision revoked.</source>
        <translation>上一版的 %1 条扣分已撤销。</translation>
    </message>
    <message>
        <source>Proposals for a leader to decide:</source>
        <translation>待领导确认的处理建议：</translation>
    </message>
    <message>
        <source>%1: %2 (%3 points in %4)</source>
        <translation>%1：%2（%4年累计扣 %3 分）</translation>
    </message>
    <message>
        <source>Proposals withdrawn (no longer reached):</source>
        <translation>已撤回的处理建议（不再达到阈值）：</translation>
    </message>
</context>
<context>
    <name>SessionTableModel</name>
    <message>
        <source>Number</source>
        <translation>考评编号</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>评标日期</translation>
    </message>
    <message>
        <source>Project code</source>
        <translation>项目编号</translation>
    </message>
    <message>
        <source>Project</source>
        <translation>项目名称</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>交易类别</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>评标室</translation>
    </message>
    <message>
        <source>Witness</source>
        <translation>见证人</translation>
    </message>
    <message>
        <source>Experts</source>
        <translation>专家</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>扣分</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>定稿期限</translation>
    </message>
</context>
<context>
    <name>SessionsTab</name>
    <message>
        <source>Evaluation sessions</source>
        <translation>考评场次</translation>
    </message>
    <message>
        <source>Number, project (Ctrl+F)</source>
        <translation>考评编号、项目（Ctrl+F）</translation>
    </message>
    <message>
        <source>&amp;New session…</source>
        <translation>新建考评(&amp;N)…</translation>
    </message>
    <message>
        <source>Start the form of a session (Ctrl+N)</source>
        <translation>填写一场评标的考评表（Ctrl+N）</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>打开(&amp;O)</translation>
    </message>
    <message>
        <source>Open the session's grid (Enter)</source>
        <translation>打开该场考评表（Enter）</translation>
    </message>
    <message>
        <source>&amp;Reopen…</source>
        <translation>重新打开(&amp;R)…</translation>
    </message>
    <message>
        <source>Let a finalised session be corrected; its first version stays readable</source>
        <translation>允许更正已定稿的考评；原版本仍可查阅</translation>
    </message>
    <message>
        <source>&amp;Print form…</source>
        <translation>打印考评表(&amp;P)…</translation>
    </message>
    <message>
        <source>The session's evaluation form (Ctrl+P)</source>
        <translation>该场的评标专家现场考评表（Ctrl+P）</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Evaluated from</source>
        <translation>评标日期自</translation>
    </message>
    <message>
        <source>Evaluated until</source>
        <translation>评标日期至</translation>
    </message>
    <message>
        <source>Date:</source>
        <translation>日期：</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>全部类别</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>评标室</translation>
    </message>
    <message>
        <source>All witnesses</source>
        <translation>全部见证人</translation>
    </message>
    <message>
        <source>All states</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>Mine</source>
        <translation>我的</translation>
    </message>
    <message>
        <source>Sessions I witness or created</source>
        <translation>我见证或我创建的考评</translation>
    </message>
    <message>
        <source>No session matches these filters.</source>
        <translation>没有符合筛选条件的考评。</translation>
    </message>
    <message numerus="yes">
        <source>%n session(s)</source>
        <translation>
            <numerusform>%n 场</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 is open for correction (version %2). Its records stay in force until it is finalised again.</source>
        <translation>%1 已重新打开以便更正（第%2版）。其信用记录在再次定稿前继续有效。</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>界面语言：</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>界面语言</translation>
    </message>
    <message>
        <source>Workstation admin password</source>
        <translation>本机管理密码</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <source>Admin password:</source>
        <translation>管理密码：</translation>
    </message>
    <message>
        <source>Database URL</source>
        <translation>数据库地址</translation>
    </message>
    <message>
        <source>Empty: the SQLite file in the data folder</source>
        <translation>留空：使用数据文件夹中的 SQLite 文件</translation>
    </message>
    <message>
        <source>Empty: the SQLite file {path}.
For several workstations sharing one PostgreSQL server: postgresql+psycopg://user:password@server/database</source>
        <translation>留空：使用 SQLite 文件 {path}。
多个工作站共用一台 PostgreSQL 服务器时填写：postgresql+psycopg://用户名:密码@服务器/数据库名</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>Database URL:</source>
        <translation>数据库地址：</translation>
    </message>
    <message>
        <source>This start uses a database given on the command line or in {variable}, which takes precedence over this setting.</source>
        <translation>本次启动使用的是命令行或环境变量 {variable} 指定的数据库，其优先级高于此项设置。</translation>
    </message>
    <message>
        <source>Workstation name:</source>
        <translation>工作站名称：</translation>
    </message>
    <message>
        <source>Workstation name</source>
        <translation>工作站名称</translation>
    </message>
    <message>
        <source>Empty: the computer's name ({name})</source>
        <translation>留空：使用计算机名（{name}）</translation>
    </message>
    <message>
        <source>Key file</source>
        <translation>密钥文件</translation>
    </message>
    <message>
        <source>Empty: {path}</source>
        <translation>留空：{path}</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Key file:</source>
        <translation>密钥文件：</translation>
    </message>
    <message>
        <source>New workstation admin password</source>
        <translation>新的本机管理密码</translation>
    </message>
    <message>
        <source>Empty: keep the current one</source>
        <translation>留空：保持现有密码</translation>
    </message>
    <message>
        <source>Not set yet</source>
        <translation>尚未设置</translation>
    </message>
    <message>
        <source>Asked before the database settings can be changed while no administrator is signed in, for example when the database cannot be opened.</source>
        <translation>在没有管理员登录时（例如数据库无法打开时）修改数据库设置，须先输入此密码。</translation>
    </message>
    <message>
        <source>Workstation admin password:</source>
        <translation>本机管理密码：</translation>
    </message>
    <message>
        <source>Repeat the workstation admin password</source>
        <translation>再次输入本机管理密码</translation>
    </message>
    <message>
        <source>Repeat:</source>
        <translation>再次输入：</translation>
    </message>
    <message>
        <source>Changes are saved in {file} and take effect the next time Integrity Desk starts.</source>
        <translation>设置保存在 {file} 中，将在下次启动诚信服务台时生效。</translation>
    </message>
    <message>
        <source>The database, the workstation name and the key file are set by the system administrator. To change them here, type the workstation's admin password.</source>
        <translation>数据库、工作站名称和密钥文件由系统管理员设置。如需在此修改，请输入本机管理密码。</translation>
    </message>
    <message>
        <source>This workstation has no admin password yet, so anyone can change its database settings here. The system administrator sets one in Tools → Settings.</source>
        <translation>本工作站尚未设置本机管理密码，任何人都可以在此修改数据库设置。请系统管理员在“工具 → 设置”中设置本机管理密码。</translation>
    </message>
    <message>
        <source>The database, the workstation name and the key file are set by the system administrator.</source>
        <translation>数据库、工作站名称和密钥文件由系统管理员设置。</translation>
    </message>
    <message>
        <source>The workstation admin password is not right.</source>
        <translation>本机管理密码不正确。</translation>
    </message>
    <message>
        <source>Choose the key file</source>
        <translation>选择密钥文件</translation>
    </message>
    <message>
        <source>The database URL must start with sqlite:/// or postgresql+psycopg:// (leave it empty for the SQLite file in the data folder).</source>
        <translation>数据库地址须以 sqlite:/// 或 postgresql+psycopg:// 开头（留空则使用数据文件夹中的 SQLite 文件）。</translation>
    </message>
    <message>
        <source>The two passwords are not the same. Type the password again.</source>
        <translation>两次输入的密码不一致，请重新输入。</translation>
    </message>
    <message>
        <source>The settings could not be saved: {error}</source>
        <translation>无法保存设置：{error}</translation>
    </message>
</context>
<context>
    <name>SheetWindow</name>
    <message>
        <source>Total and grade</source>
        <translation>总分和等次</translation>
    </message>
    <message>
        <source>Sheet</source>
        <translation>评分表</translation>
    </message>
    <message>
        <source>&amp;Evidence:</source>
        <translation>依据(&amp;E)：</translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation>依据</translation>
    </message>
    <message>
        <source>Re&amp;mark:</source>
        <translation>备注(&amp;M)：</translation>
    </message>
    <message>
        <source>Remark</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>&amp;Add line… (Ins)</source>
        <translation>添加评分项(&amp;A)…（Ins）</translation>
    </message>
    <message>
        <source>&amp;Contest…</source>
        <translation>申诉(&amp;C)…</translation>
    </message>
    <message>
        <source>&amp;Reload (F5)</source>
        <translation>重新载入(&amp;R)（F5）</translation>
    </message>
    <message>
        <source>&amp;Save (Ctrl+S)</source>
        <translation>保存(&amp;S)（Ctrl+S）</translation>
    </message>
    <message>
        <source>Save and &amp;next (Ctrl+Enter)</source>
        <translation>保存并下一人(&amp;N)（Ctrl+回车）</translation>
    </message>
    <message>
        <source>C&amp;lose</source>
        <translation>关闭(&amp;L)</translation>
    </message>
    <message>
        <source>Monthly scoring %1 — %2</source>
        <translation>月度考核 %1 — %2</translation>
    </message>
    <message>
        <source>scheme %1</source>
        <translation>方案：%1</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>第%1人/共%2人</translation>
    </message>
    <message>
        <source>revision %1</source>
        <translation>第%1版</translation>
    </message>
    <message>
        <source>an earlier version</source>
        <translation>历史版本</translation>
    </message>
    <message>
        <source>saved %1 by %2</source>
        <translation>%2 于 %1 保存</translation>
    </message>
    <message>
        <source>&amp;Next (Ctrl+Enter)</source>
        <translation>下一人(&amp;N)（Ctrl+回车）</translation>
    </message>
    <message>
        <source>Total &lt;b&gt;%1&lt;/b&gt; · grade &lt;b&gt;%2&lt;/b&gt;</source>
        <translation>总分 &lt;b&gt;%1&lt;/b&gt; · 等次 &lt;b&gt;%2&lt;/b&gt;</translation>
    </message>
    <message>
        <source>veto</source>
        <translation>一票否决</translation>
    </message>
    <message>
        <source>capped from %1</source>
        <translation>原计%1分，已封顶/保底</translation>
    </message>
    <message>
        <source>(not saved)</source>
        <translation>（未保存）</translation>
    </message>
    <message>
        <source>Read only (%1). Arrows move; Ctrl+Enter: the next staff member.</source>
        <translation>只读（%1）。方向键移动；Ctrl+回车：下一人。</translation>
    </message>
    <message>
        <source>you do not fill sheets</source>
        <translation>您不负责评分</translation>
    </message>
    <message>
        <source>Digits: points · Enter: evidence (in the remark column: remark; on an automatic line: contest) · Ins: add a line · Del: full points / remove · Ctrl+S: save · Ctrl+Enter: save and next</source>
        <translation>数字：得分 · 回车：依据（备注列：备注；自动项：申诉） · Ins：添加评分项 · Del：恢复满分/删除 · Ctrl+S：保存 · Ctrl+回车：保存并下一人</translation>
    </message>
    <message>
        <source>This sheet cannot be changed here.</source>
        <translation>此评分表在此不能修改。</translation>
    </message>
    <message>
        <source>Points go on the lines under each dimension.</source>
        <translation>请在各维度下的评分项中输入得分。</translation>
    </message>
    <message>
        <source>&amp;Evidence (required):</source>
        <translation>依据(&amp;E)（必填）：</translation>
    </message>
    <message>
        <source>%1 added at %2 points: type the points, then Enter for the evidence.</source>
        <translation>已添加%1，%2分：输入分值，再按回车填写依据。</translation>
    </message>
    <message>
        <source>This line is already contested or decided.</source>
        <translation>此项已申诉或已裁定。</translation>
    </message>
    <message>
        <source>Contest an automatic line</source>
        <translation>对自动扣加分提出申诉</translation>
    </message>
    <message>
        <source>%1

A leader decides: upheld, it counts; withdrawn, it does not (its link stays).</source>
        <translation>%1

由领导裁定：维持则计分；撤销则不计分（来源链接保留）。</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>申诉理由(&amp;R)：</translation>
    </message>
    <message>
        <source>Contest</source>
        <translation>申诉</translation>
    </message>
    <message>
        <source>Not saved: see the message below.</source>
        <translation>未保存：见下方提示。</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <source>That was the last staff member of the department.</source>
        <translation>已是本科室最后一人。</translation>
    </message>
    <message>
        <source>The sheet of %1 has changes not saved. Save them?</source>
        <translation>%1的评分表有未保存的修改，是否保存？</translation>
    </message>
</context>
<context>
    <name>StaffDialog</name>
    <message>
        <source>New staff member</source>
        <translation>新建人员</translation>
    </message>
    <message>
        <source>Edit staff member</source>
        <translation>修改人员</translation>
    </message>
    <message>
        <source>Employee no.:</source>
        <translation>工号：</translation>
    </message>
    <message>
        <source>Employee number</source>
        <translation>工号</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>姓名：</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Department:</source>
        <translation>科室：</translation>
    </message>
    <message>
        <source>Post:</source>
        <translation>岗位：</translation>
    </message>
    <message>
        <source>e.g. 综合窗口、评标见证</source>
        <translation>例如 综合窗口、评标见证</translation>
    </message>
    <message>
        <source>Phone:</source>
        <translation>手机/电话：</translation>
    </message>
    <message>
        <source>Phone number</source>
        <translation>手机/电话</translation>
    </message>
    <message>
        <source>ID number:</source>
        <translation>身份证号：</translation>
    </message>
    <message>
        <source>Resident ID number</source>
        <translation>居民身份证号</translation>
    </message>
    <message>
        <source>Status:</source>
        <translation>状态：</translation>
    </message>
    <message>
        <source>On duty</source>
        <translation>在岗</translation>
    </message>
    <message>
        <source>Mobile or landline, optional</source>
        <translation>手机或固定电话，选填</translation>
    </message>
    <message>
        <source>18 digits, optional</source>
        <translation>18 位，选填</translation>
    </message>
    <message>
        <source>— choose —</source>
        <translation>— 请选择 —</translation>
    </message>
    <message>
        <source>Stored: %1 — leave blank to keep</source>
        <translation>已登记 %1，留空则不修改</translation>
    </message>
    <message>
        <source>Not recorded, optional</source>
        <translation>未登记，选填</translation>
    </message>
</context>
<context>
    <name>StaffTab</name>
    <message>
        <source>Staff</source>
        <translation>人员</translation>
    </message>
    <message>
        <source>Department filter</source>
        <translation>按科室筛选</translation>
    </message>
    <message>
        <source>New staff member…</source>
        <translation>新建人员…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>修改…</translation>
    </message>
    <message>
        <source>View in clear…</source>
        <translation>查看明文…</translation>
    </message>
    <message>
        <source>Show a phone or ID number in clear; asks for a reason and is audited</source>
        <translation>显示电话或身份证号明文：需填写原因，并记入审计日志</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>All departments</source>
        <translation>全部科室</translation>
    </message>
    <message>
        <source>%1 (%2) saved.</source>
        <translation>%1（%2）已保存。</translation>
    </message>
</context>
<context>
    <name>StaffTableModel</name>
    <message>
        <source>Employee no.</source>
        <translation>工号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>科室</translation>
    </message>
    <message>
        <source>Post</source>
        <translation>岗位</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>手机/电话</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>On duty</source>
        <translation>在岗</translation>
    </message>
    <message>
        <source>Left</source>
        <translation>离岗</translation>
    </message>
</context>
<context>
    <name>SubjectDetailPane</name>
    <message>
        <source>Credit file</source>
        <translation>信用档案</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>USCC</source>
        <translation>统一社会信用代码</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Legal representative</source>
        <translation>法定代表人</translation>
    </message>
    <message>
        <source>Former / short names</source>
        <translation>曾用名/简称</translation>
    </message>
    <message>
        <source>Expert number</source>
        <translation>专家编号</translation>
    </message>
    <message>
        <source>Specialty</source>
        <translation>专业</translation>
    </message>
    <message>
        <source>Expert pool</source>
        <translation>在库状态</translation>
    </message>
    <message>
        <source>Credit score</source>
        <translation>信用分</translation>
    </message>
    <message>
        <source>:</source>
        <translation>：</translation>
    </message>
    <message>
        <source>Show the full ID number</source>
        <translation>查看完整身份证号</translation>
    </message>
    <message>
        <source>Show the full phone number</source>
        <translation>查看完整联系电话</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>查看</translation>
    </message>
    <message>
        <source>Edit subject…</source>
        <translation>编辑主体…</translation>
    </message>
    <message>
        <source>Edit subject</source>
        <translation>编辑主体</translation>
    </message>
    <message>
        <source>Add record…</source>
        <translation>新增记录…</translation>
    </message>
    <message>
        <source>Add a record</source>
        <translation>新增记录</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>信用记录</translation>
    </message>
    <message>
        <source>Credit records</source>
        <translation>信用记录</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>期限</translation>
    </message>
    <message>
        <source>Decision number</source>
        <translation>文号</translation>
    </message>
    <message>
        <source>Facts</source>
        <translation>事实</translation>
    </message>
    <message>
        <source>Entry checks</source>
        <translation>核验记录</translation>
    </message>
    <message>
        <source>Entry checks made for this subject</source>
        <translation>该主体的服务台核验记录</translation>
    </message>
    <message>
        <source>Checked at</source>
        <translation>核验时间</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结论</translation>
    </message>
    <message>
        <source>Query</source>
        <translation>查询内容</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>查询人</translation>
    </message>
    <message>
        <source>Notice number</source>
        <translation>告知单编号</translation>
    </message>
    <message>
        <source>Type a name, a code or pinyin initials to look up a credit file.</source>
        <translation>请输入名称、代码或拼音首字母查询信用档案。</translation>
    </message>
    <message>
        <source>No credit file matches “{query}”.</source>
        <translation>信用档案中未找到与“{query}”相符的主体。</translation>
    </message>
    <message>
        <source>Press Ctrl+P (Check and print) to record the check and print a “not found” notice.</source>
        <translation>按 Ctrl+P（登记核验并打印）可登记本次核验并打印“未找到”的告知单。</translation>
    </message>
    <message>
        <source>no decision number</source>
        <translation>无文号</translation>
    </message>
    <message>
        <source>{kind}: {authority}{number}, {period}</source>
        <translation>{kind}：{authority}{number}，{period}</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Suspended until %1</source>
        <translation>暂停至%1</translation>
    </message>
    <message>
        <source>{score} points; grade {grade} while the ban lasts, whatever the score (for information; not an entry condition)</source>
        <translation>{score} 分；禁止入场期间无论分数高低均按 {grade} 级计（仅供参考，不作为入场条件）</translation>
    </message>
    <message>
        <source>{score} points, grade {grade} (for information; not an entry condition)</source>
        <translation>{score} 分，{grade} 级（仅供参考，不作为入场条件）</translation>
    </message>
    <message>
        <source>Banned {start} to {end}</source>
        <translation>禁入 {start} 至 {end}</translation>
    </message>
    <message>
        <source>{start} to {end}</source>
        <translation>{start} 至 {end}</translation>
    </message>
    <message>
        <source>Severity: {severity}</source>
        <translation>程度：{severity}</translation>
    </message>
    <message>
        <source>Authority: {authority}</source>
        <translation>决定机关：{authority}</translation>
    </message>
    <message>
        <source>Points: {points}</source>
        <translation>分值：{points}</translation>
    </message>
    <message>
        <source>Legal basis: {basis}</source>
        <translation>依据：{basis}</translation>
    </message>
    <message>
        <source>Reason closed: {reason}</source>
        <translation>撤销/关闭原因：{reason}</translation>
    </message>
    <message>
        <source>Facts: {facts}</source>
        <translation>事实：{facts}</translation>
    </message>
    <message>
        <source>Repair request</source>
        <translation>信用修复申请</translation>
    </message>
    <message>
        <source>Attachment</source>
        <translation>附件</translation>
    </message>
    <message>
        <source>{size} KB</source>
        <translation>{size} KB</translation>
    </message>
    <message>
        <source>No records</source>
        <translation>无记录</translation>
    </message>
    <message>
        <source>Not checked at the desk yet</source>
        <translation>尚未在服务台核验</translation>
    </message>
</context>
<context>
    <name>SubjectDialog</name>
    <message>
        <source>New credit subject</source>
        <translation>新建信用主体</translation>
    </message>
    <message>
        <source>Edit credit subject</source>
        <translation>编辑信用主体</translation>
    </message>
    <message>
        <source>Kind:</source>
        <translation>主体类型：</translation>
    </message>
    <message>
        <source>Kind of subject</source>
        <translation>主体类型</translation>
    </message>
    <message>
        <source>— choose —</source>
        <translation>— 请选择 —</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Full registered name</source>
        <translation>登记的全称</translation>
    </message>
    <message>
        <source>Unified social credit code:</source>
        <translation>统一社会信用代码：</translation>
    </message>
    <message>
        <source>Unified social credit code</source>
        <translation>统一社会信用代码</translation>
    </message>
    <message>
        <source>18 characters</source>
        <translation>18 位</translation>
    </message>
    <message>
        <source>Resident ID number:</source>
        <translation>身份证号：</translation>
    </message>
    <message>
        <source>Resident ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Check exception note:</source>
        <translation>校验例外说明：</translation>
    </message>
    <message>
        <source>Check exception note</source>
        <translation>校验例外说明</translation>
    </message>
    <message>
        <source>Only when a real code fails its check: how it was verified, e.g. 已核对营业执照原件</source>
        <translation>仅当真实代码未通过校验时填写核实情况，例如 已核对营业执照原件</translation>
    </message>
    <message>
        <source>Phone:</source>
        <translation>联系电话：</translation>
    </message>
    <message>
        <source>Phone number</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Legal representative:</source>
        <translation>法定代表人：</translation>
    </message>
    <message>
        <source>Legal representative</source>
        <translation>法定代表人</translation>
    </message>
    <message>
        <source>Expert no.:</source>
        <translation>专家编号：</translation>
    </message>
    <message>
        <source>Expert number</source>
        <translation>专家编号</translation>
    </message>
    <message>
        <source>Specialty:</source>
        <translation>专业：</translation>
    </message>
    <message>
        <source>Specialty</source>
        <translation>专业</translation>
    </message>
    <message>
        <source>Pool status:</source>
        <translation>在库状态：</translation>
    </message>
    <message>
        <source>Expert pool status</source>
        <translation>专家在库状态</translation>
    </message>
    <message>
        <source>Former and short names</source>
        <translation>曾用名和简称</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Add name</source>
        <translation>添加名称</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Remove name</source>
        <translation>删除名称</translation>
    </message>
    <message>
        <source>Former / short names:</source>
        <translation>曾用名/简称：</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>职务</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Contact name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Add contact</source>
        <translation>添加联系人</translation>
    </message>
    <message>
        <source>Remove contact</source>
        <translation>删除联系人</translation>
    </message>
    <message>
        <source>Contacts:</source>
        <translation>联系人：</translation>
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
        <source>Name type</source>
        <translation>名称类型</translation>
    </message>
    <message>
        <source>Stored: %1 — leave blank to keep</source>
        <translation>已登记：%1（留空则保持不变）</translation>
    </message>
    <message>
        <source>18 digits; the last may be X</source>
        <translation>18 位，末位可为 X</translation>
    </message>
    <message>
        <source>Mobile or landline, optional</source>
        <translation>手机或固定电话，选填</translation>
    </message>
    <message>
        <source>Not recorded</source>
        <translation>未登记</translation>
    </message>
</context>
<context>
    <name>TemporaryPasswordDialog</name>
    <message>
        <source>Temporary password</source>
        <translation>临时密码</translation>
    </message>
    <message>
        <source>Temporary password of account “%1”. It is shown only this once: give it to the user, who must change it at the next sign-in.</source>
        <translation>账户“%1”的临时密码。此密码只显示这一次：请交给本人，本人下次登录时须修改密码。</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy password</source>
        <translation>复制密码</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Copied to the clipboard.</source>
        <translation>已复制到剪贴板。</translation>
    </message>
</context>
<context>
    <name>ThresholdSection</name>
    <message>
        <source>Threshold rules</source>
        <translation>阈值规则</translation>
    </message>
    <message>
        <source>Points and what they call for</source>
        <translation>累计扣分及相应处理</translation>
    </message>
    <message>
        <source>New rule from a date…</source>
        <translation>自某日起的新规则…</translation>
    </message>
    <message>
        <source>Change the thresholds from a date on; earlier marks keep theirs</source>
        <translation>自某日起修改阈值；此前的扣分沿用原规则</translation>
    </message>
    <message>
        <source>Correct this rule…</source>
        <translation>更正此规则…</translation>
    </message>
    <message>
        <source>Fix a version entered wrongly</source>
        <translation>更正录入有误的版本</translation>
    </message>
    <message>
        <source>Threshold rule from %1 saved.</source>
        <translation>已保存自%1起的阈值规则。</translation>
    </message>
</context>
<context>
    <name>Todo</name>
    <message>
        <source>Credit records to confirm</source>
        <translation>待确认的信用记录</translation>
    </message>
    <message>
        <source>Bans and serious-list records take effect only once a leader confirms them.</source>
        <translation>禁止入场和严重失信记录须经中心领导确认后生效。</translation>
    </message>
    <message>
        <source>My department's entries awaiting confirmation</source>
        <translation>本科室待领导确认的记录</translation>
    </message>
    <message>
        <source>Bans and serious-list records entered by you and your department, still waiting for a leader.</source>
        <translation>本人及本科室录入、尚待领导确认的禁止入场和严重失信名单记录。</translation>
    </message>
    <message>
        <source>Accounts to confirm</source>
        <translation>待确认的账户</translation>
    </message>
    <message>
        <source>Roles a system admin gave take effect only once you confirm them (separation of duties).</source>
        <translation>系统管理员所设的角色须经您确认后方才生效（三员分立）。</translation>
    </message>
    <message>
        <source>Holiday schedules to enter</source>
        <translation>待登记的放假安排</translation>
    </message>
    <message>
        <source>Deadlines in a year without its holiday schedule are counted Monday to Friday and marked provisional.</source>
        <translation>尚未登记放假安排的年份，期限按周一至周五计算并标注“暂定”。</translation>
    </message>
    <message>
        <source>Complaints past their deadline</source>
        <translation>已超期的投诉</translation>
    </message>
    <message>
        <source>Open cases you answer for whose deadline has passed: an overdue closure costs points.</source>
        <translation>您负责的办理中投诉已过办理期限：超期办结将扣分。</translation>
    </message>
    <message>
        <source>Complaints due within a working day</source>
        <translation>一个工作日内到期的投诉</translation>
    </message>
    <message>
        <source>Open cases due today or on the next working day.</source>
        <translation>今天或下一个工作日到期的办理中投诉。</translation>
    </message>
    <message>
        <source>Complaints waiting for acceptance</source>
        <translation>待受理的投诉</translation>
    </message>
    <message>
        <source>Registered cases of your department, or not yet given to one, to accept, refuse or transfer.</source>
        <translation>本科室或尚未分派科室的已登记投诉，待受理、不予受理或转办。</translation>
    </message>
    <message>
        <source>Deadline extensions to decide</source>
        <translation>待审批的延期申请</translation>
    </message>
    <message>
        <source>Requests for more time that wait for your approval.</source>
        <translation>等待您审批的办理期限延长申请。</translation>
    </message>
    <message>
        <source>Follow-ups after bad ratings</source>
        <translation>差评跟进</translation>
    </message>
    <message>
        <source>Dissatisfied complainants to contact within a working day and problems to rectify.</source>
        <translation>回访不满意的投诉：一个工作日内联系投诉人，并限期整改。</translation>
    </message>
    <message>
        <source>Expert proposals to decide</source>
        <translation>待决定的专家处理建议</translation>
    </message>
    <message>
        <source>Experts whose points reached a threshold: enter the supervising department's decision or reject the proposal.</source>
        <translation>累计扣分达到阈值的评标专家：录入监督部门的处理决定，或不予确认。</translation>
    </message>
    <message>
        <source>Evaluation forms not finalised</source>
        <translation>未定稿的专家考评表</translation>
    </message>
    <message>
        <source>Sessions you witness or created whose form waits for your sign-off.</source>
        <translation>您见证或创建的考评场次，考评表等待您签字定稿。</translation>
    </message>
    <message>
        <source>Procurement evaluations past their deadline</source>
        <translation>超期未定稿的政府采购考评</translation>
    </message>
    <message>
        <source>Government-procurement sessions not finalised within 5 working days after they ended.</source>
        <translation>评标结束后 5 个工作日内未定稿的政府采购考评场次。</translation>
    </message>
    <message>
        <source>Department scores to lock</source>
        <translation>待锁定的科室考核</translation>
    </message>
    <message>
        <source>Departments' monthly scores submitted by their supervisors: lock or return them.</source>
        <translation>科室负责人已提交的月度考核：请锁定或退回。</translation>
    </message>
    <message>
        <source>Deductions arrived after locking</source>
        <translation>锁定后到达的扣分</translation>
    </message>
    <message>
        <source>Deductions for a month already locked: reopen the month to apply them.</source>
        <translation>已锁定月份新到达的扣分：请重新开启该月以计入。</translation>
    </message>
    <message>
        <source>Contested score lines to decide</source>
        <translation>待裁定的考核申诉</translation>
    </message>
    <message>
        <source>Automatic deductions or bonuses a supervisor contests: uphold or withdraw them.</source>
        <translation>科室负责人对自动扣分或加分提出的申诉：请维持或撤销。</translation>
    </message>
    <message>
        <source>Your department's monthly scores</source>
        <translation>本科室月度考核</translation>
    </message>
    <message>
        <source>Last month has ended: score every member of your department and submit.</source>
        <translation>上月已结束：请为本科室每位人员评分并提交。</translation>
    </message>
</context>
<context>
    <name>TodoCard</name>
    <message>
        <source>{count} past the deadline</source>
        <translation>其中 {count} 项已超期</translation>
    </message>
    <message>
        <source>{title}: {count}</source>
        <translation>{title}：{count}</translation>
    </message>
    <message>
        <source>Open the list</source>
        <translation>打开列表</translation>
    </message>
</context>
<context>
    <name>TransferDialog</name>
    <message>
        <source>Transfer the complaint</source>
        <translation>转办投诉</translation>
    </message>
    <message>
        <source>To a department:</source>
        <translation>转至科室：</translation>
    </message>
    <message>
        <source>(another body)</source>
        <translation>（其他单位）</translation>
    </message>
    <message>
        <source>Department transferred to</source>
        <translation>转办科室</translation>
    </message>
    <message>
        <source>Or to:</source>
        <translation>或转至：</translation>
    </message>
    <message>
        <source>Body transferred to</source>
        <translation>转办单位</translation>
    </message>
    <message>
        <source>e.g. 市市场监督管理局</source>
        <translation>例如 市市场监督管理局</translation>
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
        <source>Transfer</source>
        <translation>转办</translation>
    </message>
</context>
<context>
    <name>UserDialog</name>
    <message>
        <source>New account</source>
        <translation>新建账户</translation>
    </message>
    <message>
        <source>Edit account</source>
        <translation>修改账户</translation>
    </message>
    <message>
        <source>Username:</source>
        <translation>用户名：</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Letters, digits and . _ -</source>
        <translation>字母、数字及 . _ -</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>姓名：</translation>
    </message>
    <message>
        <source>Display name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Roles:</source>
        <translation>角色：</translation>
    </message>
    <message>
        <source>Department:</source>
        <translation>负责科室：</translation>
    </message>
    <message>
        <source>The department a department head is responsible for</source>
        <translation>科室负责人所负责的科室</translation>
    </message>
    <message>
        <source>Staff record:</source>
        <translation>关联人员：</translation>
    </message>
    <message>
        <source>Linked staff</source>
        <translation>关联人员</translation>
    </message>
    <message>
        <source>Optional: the staff record of this person</source>
        <translation>选填：此人对应的人员档案</translation>
    </message>
    <message>
        <source>Status:</source>
        <translation>状态：</translation>
    </message>
    <message>
        <source>Account active</source>
        <translation>账户启用</translation>
    </message>
    <message>
        <source>An initial password is generated when you save and shown once; the user must change it at first sign-in.</source>
        <translation>保存时自动生成初始密码并只显示一次；本人首次登录时须修改密码。</translation>
    </message>
    <message>
        <source>— none —</source>
        <translation>— 无 —</translation>
    </message>
    <message>
        <source>— not linked —</source>
        <translation>— 不关联 —</translation>
    </message>
</context>
<context>
    <name>UserTableModel</name>
    <message>
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>科室</translation>
    </message>
    <message>
        <source>Linked staff</source>
        <translation>关联人员</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Last sign-in</source>
        <translation>最近登录</translation>
    </message>
    <message>
        <source>Inactive</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>Locked until %1</source>
        <translation>锁定至 %1</translation>
    </message>
    <message>
        <source>Must change password</source>
        <translation>需修改密码</translation>
    </message>
    <message>
        <source>Awaiting confirmation: %1</source>
        <translation>待确认：%1</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>正常</translation>
    </message>
</context>
<context>
    <name>UsersTab</name>
    <message>
        <source>Accounts</source>
        <translation>账户</translation>
    </message>
    <message>
        <source>New account…</source>
        <translation>新建账户…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>修改…</translation>
    </message>
    <message>
        <source>Reset password…</source>
        <translation>重置密码…</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Account “%1” saved. Its roles “%2” take effect once confirmed (separation of duties).</source>
        <translation>账户“%1”已保存。其角色“%2”须经确认后方才生效（三员分立）。</translation>
    </message>
    <message>
        <source>Account “%1” saved.</source>
        <translation>账户“%1”已保存。</translation>
    </message>
    <message>
        <source>Reset password</source>
        <translation>重置密码</translation>
    </message>
    <message>
        <source>Give “%1” a new temporary password? The current password stops working at once.</source>
        <translation>确定为“%1”重置临时密码吗？当前密码将立即失效。</translation>
    </message>
    <message>
        <source>Password of “%1” reset. Its roles take effect again once a leader confirms them (separation of duties).</source>
        <translation>账户“%1”的密码已重置。其角色须经中心领导确认后方才重新生效（三员分立）。</translation>
    </message>
    <message>
        <source>Password of “%1” reset.</source>
        <translation>“%1”的密码已重置。</translation>
    </message>
    <message>
        <source>Account “%1” unlocked.</source>
        <translation>账户“%1”已解锁。</translation>
    </message>
</context>
<context>
    <name>VerifyNoticeDialog</name>
    <message>
        <source>Verify a notice</source>
        <translation>验证文书</translation>
    </message>
    <message>
        <source>Type the number and the verification code printed at the foot of the notice. To check a PDF file as well, choose it: only an unchanged copy made by the hall passes.</source>
        <translation>请输入文书底部印有的编号和验证码。如需同时核验 PDF 文件，请选择该文件：只有本中心出具且未经改动的文件才能通过。</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>for example CS2026-000001</source>
        <translation>例如 CS2026-000001</translation>
    </message>
    <message>
        <source>&amp;Number:</source>
        <translation>编号(&amp;N)：</translation>
    </message>
    <message>
        <source>Verification code</source>
        <translation>验证码</translation>
    </message>
    <message>
        <source>Verification &amp;code:</source>
        <translation>验证码(&amp;C)：</translation>
    </message>
    <message>
        <source>PDF file to check</source>
        <translation>要核验的PDF文件</translation>
    </message>
    <message>
        <source>optional: no file chosen</source>
        <translation>可选：未选择文件</translation>
    </message>
    <message>
        <source>Choose PDF &amp;file…</source>
        <translation>选择PDF文件(&amp;F)…</translation>
    </message>
    <message>
        <source>Choose PDF file</source>
        <translation>选择PDF文件</translation>
    </message>
    <message>
        <source>Remove file</source>
        <translation>不核验文件</translation>
    </message>
    <message>
        <source>PDF file:</source>
        <translation>PDF文件：</translation>
    </message>
    <message>
        <source>&amp;Verify</source>
        <translation>验证(&amp;V)</translation>
    </message>
    <message>
        <source>Verify</source>
        <translation>验证</translation>
    </message>
    <message>
        <source>View the archived &amp;original…</source>
        <translation>查看存档原件(&amp;O)…</translation>
    </message>
    <message>
        <source>View the archived original</source>
        <translation>查看存档原件</translation>
    </message>
    <message>
        <source>&amp;Reprint…</source>
        <translation>补打(&amp;R)…</translation>
    </message>
    <message>
        <source>Reprint</source>
        <translation>补打</translation>
    </message>
    <message>
        <source>Make a new copy from the archive, marked as a reprint; the audit log records it.</source>
        <translation>按存档内容另出一份标注“补打”的新件，并记入审计日志。</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Not checked yet. Type the number and the code, then press Enter or click Verify.</source>
        <translation>尚未验证。请输入编号和验证码，然后按回车键或点击“验证”。</translation>
    </message>
    <message>
        <source>What the archive holds under this number:</source>
        <translation>档案中该编号的记录：</translation>
    </message>
    <message>
        <source>Number:</source>
        <translation>编号：</translation>
    </message>
    <message>
        <source>Kind:</source>
        <translation>文书类型：</translation>
    </message>
    <message>
        <source>Title:</source>
        <translation>标题：</translation>
    </message>
    <message>
        <source>Issued at:</source>
        <translation>出具时间：</translation>
    </message>
    <message>
        <source>Issued by:</source>
        <translation>出具人：</translation>
    </message>
    <message>
        <source>Reprints:</source>
        <translation>补打次数：</translation>
    </message>
    <message>
        <source>What the archived notice says:</source>
        <translation>存档文书内容：</translation>
    </message>
    <message>
        <source>What the archived notice says</source>
        <translation>存档文书内容</translation>
    </message>
    <message>
        <source>Choose the PDF file to check</source>
        <translation>选择要核验的PDF文件</translation>
    </message>
    <message>
        <source>PDF files (*.pdf);;All files (*)</source>
        <translation>PDF 文件 (*.pdf);;所有文件 (*)</translation>
    </message>
    <message>
        <source>This file is far too large to be a notice of the hall.</source>
        <translation>该文件过大，不可能是本中心出具的文书。</translation>
    </message>
    <message>
        <source>The file cannot be read: {reason}</source>
        <translation>无法读取该文件：{reason}</translation>
    </message>
    <message>
        <source>Type the number printed on the notice.</source>
        <translation>请输入文书上印的编号。</translation>
    </message>
    <message>
        <source>Type the verification code printed on the notice.</source>
        <translation>请输入文书上印的验证码。</translation>
    </message>
    <message>
        <source>Genuine</source>
        <translation>真实有效</translation>
    </message>
    <message>
        <source>Not a genuine notice</source>
        <translation>不是真实文书</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
</context>
<context>
    <name>VersionTableModel</name>
    <message>
        <source>Effective from</source>
        <translation>生效日期</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>取值</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>VisitDialog</name>
    <message>
        <source>Follow-up visit</source>
        <translation>回访</translation>
    </message>
    <message>
        <source>Satisfaction:</source>
        <translation>满意度：</translation>
    </message>
    <message>
        <source>Satisfaction</source>
        <translation>满意度</translation>
    </message>
    <message>
        <source>(choose)</source>
        <translation>（请选择）</translation>
    </message>
    <message>
        <source>Notes:</source>
        <translation>回访情况：</translation>
    </message>
    <message>
        <source>Visit notes</source>
        <translation>回访情况</translation>
    </message>
    <message>
        <source>Dissatisfied or very dissatisfied opens a follow-up: contact within one working day, rectification within fifteen.</source>
        <translation>不满意或非常不满意为差评，须跟进：一个工作日内联系投诉人，十五个工作日内完成整改。</translation>
    </message>
    <message>
        <source>Record the visit</source>
        <translation>登记回访</translation>
    </message>
</context>
<context>
    <name>WorkCalendar</name>
    <message>
        <source>Day off (休)</source>
        <translation>休（放假）</translation>
    </message>
    <message>
        <source>Make-up workday (班)</source>
        <translation>班（调休上班）</translation>
    </message>
    <message>
        <source>Monday</source>
        <translation>星期一</translation>
    </message>
    <message>
        <source>Tuesday</source>
        <translation>星期二</translation>
    </message>
    <message>
        <source>Wednesday</source>
        <translation>星期三</translation>
    </message>
    <message>
        <source>Thursday</source>
        <translation>星期四</translation>
    </message>
    <message>
        <source>Friday</source>
        <translation>星期五</translation>
    </message>
    <message>
        <source>Saturday</source>
        <translation>星期六</translation>
    </message>
    <message>
        <source>Sunday</source>
        <translation>星期日</translation>
    </message>
    <message>
        <source>initial schedule</source>
        <translation>初始安排</translation>
    </message>
    <message>
        <source>Import a holiday schedule</source>
        <translation>导入放假安排</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>日期</translation>
    </message>
</context>
<context>
    <name>WorkCalendarTab</name>
    <message>
        <source>Working-day calendar</source>
        <translation>工作日历</translation>
    </message>
    <message>
        <source>&amp;Year:</source>
        <translation>年份(&amp;Y)：</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>年份</translation>
    </message>
    <message>
        <source>&amp;Add day…</source>
        <translation>登记日期(&amp;A)…</translation>
    </message>
    <message>
        <source>List a day off or a make-up workday (Ctrl+N)</source>
        <translation>登记放假日或调休上班日（Ctrl+N）</translation>
    </message>
    <message>
        <source>&amp;Change…</source>
        <translation>修改(&amp;C)…</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>删除(&amp;R)</translation>
    </message>
    <message>
        <source>Make it an ordinary day again</source>
        <translation>恢复为普通日子</translation>
    </message>
    <message>
        <source>&amp;Import from file…</source>
        <translation>从文件导入(&amp;I)…</translation>
    </message>
    <message>
        <source>Import a year's schedule from an Excel or CSV file (日期, 类型 休/班, 名称)</source>
        <translation>从 Excel 或 CSV 文件导入某年的放假安排（日期、类型 休/班、名称）</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>%1: %2 days off, %3 make-up workdays listed. Other days: Monday to Friday are working days.</source>
        <translation>%1 年：已登记放假 %2 天、调休上班 %3 天。其余日子周一至周五上班。</translation>
    </message>
    <message>
        <source>No holiday schedule is listed for %1: deadlines in that year are counted Monday to Friday and marked provisional. Enter or import the schedule once it is published.</source>
        <translation>%1 年尚未登记放假安排：该年的期限按周一至周五计算，并标注为“暂定”。安排公布后请登记或导入。</translation>
    </message>
    <message>
        <source>%1 saved: %2 (%3).</source>
        <translation>已保存 %1：%2（%3）。</translation>
    </message>
    <message>
        <source>Remove calendar day</source>
        <translation>删除日历日期</translation>
    </message>
    <message>
        <source>Remove %1 (%2, %3)? It becomes an ordinary day again.</source>
        <translation>删除 %1（%2，%3）？删除后该日恢复为普通日子。</translation>
    </message>
    <message>
        <source>%1 removed.</source>
        <translation>已删除 %1。</translation>
    </message>
    <message>
        <source>%1 days imported.</source>
        <translation>已导入 %1 天。</translation>
    </message>
</context>
<context>
    <name>YearModel</name>
    <message>
        <source>Year</source>
        <translation>年度</translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation>场次</translation>
    </message>
    <message>
        <source>Marks</source>
        <translation>扣分项</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>扣分</translation>
    </message>
</context>
</TS>